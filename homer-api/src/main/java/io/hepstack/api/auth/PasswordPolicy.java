package io.hepstack.api.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be, the same on creation, an admin's reset and a change (docs/api.md,
 * "Passwords"): 12 to 1024 characters, not blank, not the user name (either way round), not one short
 * pattern repeated ({@code aaaaaaaaaaaa}, {@code abcabcabcabc}), not a run of a keyboard row, the alphabet
 * or the digits ({@code 123456789012}, {@code qwertyuiopas}), and not in the list of common passwords
 * shipped with the API ({@code auth/common-passwords.txt}), all compared ignoring case.
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 1024;
    private static final String[] RUNS = {"0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyz",
            "qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
            "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "1q2w3e4r5t6y7u8i9o0p"};
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** Why {@code password} may not be {@code username}'s, or {@code null} when it may. */
    static String problem(String username, String password) {
        if (password == null || password.isBlank()) {
            return "must not be blank";
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        String p = password.toLowerCase(Locale.ROOT);
        String name = username == null ? "" : username.toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && (p.equals(name) || p.equals(new StringBuilder(name).reverse().toString()))) {
            return "must not be the user name";
        }
        if (repeats(p)) {
            return "too simple: one short pattern repeated";
        }
        for (String run : RUNS) {
            if (run.contains(p) || new StringBuilder(run).reverse().toString().contains(p)) {
                return "too simple: a run of keys, letters or digits";
            }
        }
        if (COMMON.contains(p)) {
            return "a commonly used password: choose another";
        }
        return null;
    }

    /** Whether {@code p} is a pattern of at most 4 characters repeated (the last repetition may be cut). */
    private static boolean repeats(String p) {
        for (int period = 1; period <= 4; period++) {
            boolean same = true;
            for (int i = period; i < p.length() && same; i++) {
                same = p.charAt(i) == p.charAt(i - period);
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("/auth/common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("auth/common-passwords.txt missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
