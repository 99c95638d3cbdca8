package io.hepstack.api.web;

import org.springframework.util.MultiValueMap;

import java.util.Set;
import java.util.TreeSet;

/** Request parameters that several endpoints take alike. */
public final class Params {

    private Params() {
    }

    /**
     * Checks that {@code query} names only {@code allowed} parameters, each at most once.
     *
     * @throws ApiException 400 naming an unknown parameter (with the allowed ones, sorted) or one given twice
     */
    public static void only(MultiValueMap<String, String> query, Set<String> allowed) {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
            if (query.get(name).size() > 1) {
                throw ApiException.badRequest(name + ": given more than once");
            }
        }
    }

    /**
     * A page size: {@code defaultLimit} when absent, else a number from 1 to {@code max}.
     *
     * @throws ApiException 400 naming {@code limit} with the allowed range
     */
    public static int limit(String v, int defaultLimit, int max) {
        if (v == null || v.isBlank()) {
            return defaultLimit;
        }
        int n = digits(v.trim());
        if (n < 1 || n > max) {
            throw ApiException.badRequest("limit: expected a number from 1 to " + max + ", got " + Times.quote(v));
        }
        return n;
    }

    /**
     * A whole number of parameter {@code name} from {@code min} to {@code max}, {@code absent} when not given.
     *
     * @throws ApiException 400 saying whether it is not a number or out of range
     */
    public static int number(String raw, String name, int min, int max, int absent) {
        if (raw == null || raw.isBlank()) {
            return absent;
        }
        String v = raw.trim();
        int n = digits(v);
        if (n < 0) {
            throw ApiException.badRequest(name + ": not a number: " + Times.quote(v) + " (expected: " + min + " to " + max + ")");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(name + ": " + n + " is out of range (expected: " + min + " to " + max + ")");
        }
        return n;
    }

    /** The value of 1 to 9 decimal digits, else -1. */
    private static int digits(String t) {
        return !t.isEmpty() && t.length() <= 9 && t.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(t) : -1;
    }
}
