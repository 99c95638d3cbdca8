package io.hepstack.api.web;

/** Request parameters that several endpoints take alike. */
public final class Params {

    private Params() {
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
        String t = v.trim();
        int n = !t.isEmpty() && t.length() <= 6 && t.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(t) : -1;
        if (n < 1 || n > max) {
            throw ApiException.badRequest("limit: expected a number from 1 to " + max + ", got " + Times.quote(v));
        }
        return n;
    }
}
