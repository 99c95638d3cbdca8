package io.hepstack.api.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What an account or API token may do. {@code admin}: everything, including tokens and accounts;
 * {@code user}: search and share; {@code viewer}: search only.
 */
public enum Role {
    ADMIN, USER, VIEWER;

    /** The stored and serialized name: {@code admin}, {@code user}, {@code viewer}. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority, {@code ROLE_ADMIN}... */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role of a stored or requested name. */
    @JsonCreator
    public static Role ofCode(String code) {
        for (Role r : values()) {
            if (r.code().equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role " + code + " (expected: admin, user or viewer)");
    }
}
