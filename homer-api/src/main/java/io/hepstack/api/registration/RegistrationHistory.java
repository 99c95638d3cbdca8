package io.hepstack.api.registration;

import java.time.Instant;
import java.util.List;

/**
 * One AoR's registrations as {@code GET /api/v1/registrations/{aor}} answers it (docs/api.md): the records of its
 * bindings, and its REGISTER transactions in the range, newest first.
 *
 * @param truncated whether the range held more REGISTER rows than are read ({@link RegistrationReader#MAX_HISTORY_ROWS},
 *                  the newest) or more transactions than {@code limit}
 */
public record RegistrationHistory(String aor, Instant from, Instant to, boolean truncated, List<RegistrationView> bindings,
                                  List<Transaction> transactions) {

    /**
     * One REGISTER transaction: the request's earliest copy and its final answer.
     *
     * @param requestedExpires the expiry the request asked for, {@code null} when it named none
     * @param grantedExpires   the expiry a 2xx granted, seconds ({@code null} for another answer)
     * @param outcome          {@code registered}, {@code unregistered}, {@code challenged}, {@code failed}, or
     *                         {@code pending} (no final answer stored)
     */
    public record Transaction(String callId, long cseq, String contact, RegistrationView.Endpoint source, String userAgent,
                              RegistrationView.Endpoint registrar, Instant requestAt, Instant answeredAt, Integer status,
                              String phrase, Integer requestedExpires, Integer grantedExpires, String outcome,
                              List<String> nodes) {
    }
}
