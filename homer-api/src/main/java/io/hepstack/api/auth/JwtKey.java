package io.hepstack.api.auth;

import java.util.Arrays;

/** The HMAC key that signs and verifies login JWTs (at least 256 bits). */
public final class JwtKey {

    private final byte[] key;

    public JwtKey(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("JWT key of " + key.length + " bytes (expected: at least 32)");
        }
        this.key = key.clone();
    }

    byte[] bytes() {
        return key;
    }

    @Override
    public String toString() {
        return "JwtKey[" + key.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JwtKey k && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
