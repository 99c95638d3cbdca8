package io.hepstack.proto.registration;

import java.util.Locale;

/** Where a binding stands: the state of a {@link RegistrationRecord}. */
public enum RegistrationState {
    /** Its latest outcome is a 200 granting it an expiry that has not passed. */
    REGISTERED,
    /** Its latest outcome is a 200 whose expiry has passed with no refresh since: never stored, read ({@link #at}). */
    EXPIRED,
    /** Its latest outcome is a 200 to a REGISTER with expiry 0 (RFC 3261 §10.2.2). */
    UNREGISTERED,
    /** Its latest outcome is a final error other than a challenge (3xx, 4xx, 5xx, 6xx). */
    FAILED,
    /** Its latest two or more REGISTERs were challenged (401, 407) with no 200 after them. */
    CHALLENGE_LOOP;

    private final String code = name().toLowerCase(Locale.ROOT);

    /**
     * The state as read at a moment, a SQL expression on the unaliased columns {@code state} and {@code expires_at}
     * of {@code registration_records}, with {@code %s} the bound moment: {@link #at}'s rule.
     */
    public static final String SQL_AT = "CASE WHEN state = 'registered' AND expires_at <= %s THEN 'expired' ELSE state END";

    /** The name stored and searched: {@code challenge_loop}... */
    public String code() {
        return code;
    }

    /** The state of this code, or {@code null} when no state has it. */
    public static RegistrationState of(String code) {
        for (RegistrationState s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The state read at {@code nowMicros} of a binding stored in {@code stored} until {@code expiresAtMicros}: a
     * registered binding whose expiry is not after now is {@link #EXPIRED}.
     */
    public static RegistrationState at(RegistrationState stored, Long expiresAtMicros, long nowMicros) {
        return stored == REGISTERED && expiresAtMicros != null && expiresAtMicros <= nowMicros ? EXPIRED : stored;
    }
}
