package io.hepstack.api.stats;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;

/**
 * Call and registration indicators over a time range (calls counted by Call-ID with an INVITE in it).
 *
 * @param calls                  INVITE dialogs
 * @param answered               dialogs with a 2xx to an INVITE
 * @param asr                    answer-seizure ratio: answered / calls (null without calls)
 * @param ner                    network effectiveness ratio: dialogs ended by the user side (2xx, 486,
 *                               480, 487, 600, 603) / dialogs with a final status (null without any)
 * @param avgPddMs               post-dial delay: INVITE to first 18x, averaged over dialogs that rang
 * @param avgDurationMs          answer to BYE, averaged over answered dialogs that ended
 * @param finalStatus            dialogs per first final status, {@code "none"} while none was seen
 * @param registrations          Call-IDs with a REGISTER
 * @param registrationsSucceeded of those, with a 2xx
 */
public record Kpi(
        Instant from,
        Instant to,
        long calls,
        long answered,
        Double asr,
        Double ner,
        Double avgPddMs,
        Double avgDurationMs,
        @JsonRawValue String finalStatus,
        long registrations,
        long registrationsSucceeded) {
}
