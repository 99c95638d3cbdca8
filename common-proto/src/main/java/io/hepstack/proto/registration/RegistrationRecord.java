package io.hepstack.proto.registration;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the REGISTER transactions of one binding say: its state, until when it is registered, its last success
 * and failure, and how often it was challenged or failed among the transactions read. Built by
 * {@link RegistrationRecorder}; times are microseconds since the epoch.
 *
 * @param binding         the binding
 * @param state           its state as stored: never {@link RegistrationState#EXPIRED}, which {@link #stateAt} reads
 * @param expiresAt       a registered binding's end ({@code null} otherwise)
 * @param firstRegisterAt the first REGISTER read of the binding
 * @param lastRegisterAt  the last REGISTER read of the binding
 * @param lastSuccessAt   the last 2xx (registering or removing it), or {@code null}
 * @param lastFailureAt   the last final error other than a challenge, or {@code null}
 * @param lastFailureStatus its status
 * @param counts          its transactions, challenges and failures
 * @param target          the registrar (or next hop) of its last REGISTER
 * @param nodes           the capture nodes of its transactions
 * @param rows            the stored rows it was read from
 */
public record RegistrationRecord(Binding binding, RegistrationState state, Long expiresAt, long firstRegisterAt,
                                 long lastRegisterAt, Long lastSuccessAt, Long lastFailureAt, Integer lastFailureStatus,
                                 Counts counts, InetSocketAddress target, List<String> nodes, int rows) {

    /**
     * One registration of an address of record: the key of a record.
     *
     * @param aor       {@code user@domain} of the To URI, the domain lower-cased (the domain alone without a user)
     * @param contact   the Contact URI as written ({@code *} for the wildcard)
     * @param source    the client's address: the source of the REGISTER's earliest copy
     * @param userAgent the User-Agent header, {@code ""} without one
     */
    public record Binding(String aor, String contact, InetSocketAddress source, String userAgent) {
    }

    /**
     * @param registers  the REGISTER transactions read
     * @param challenges of them answered 401 or 407
     * @param failures   of them answered with another final error
     */
    public record Counts(int registers, int challenges, int failures) {
    }

    public RegistrationRecord {
        nodes = List.copyOf(nodes);
    }

    /** The state read at {@code nowMicros}: {@link RegistrationState#EXPIRED} once a registration's expiry has passed. */
    public RegistrationState stateAt(long nowMicros) {
        return RegistrationState.at(state, expiresAt, nowMicros);
    }
}
