package io.hepstack.api.importer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an import found and stored.
 *
 * @param messages   HEP packets and plain SIP messages found (each one row)
 * @param stored     rows stored by this import
 * @param duplicates rows of batches an earlier import of the same file had stored (not stored again)
 * @param rejected   rows the database refused
 * @param censored   SIP messages stored with their body censored (the collectors' {@code homer.ingest.privacy})
 * @param skipped    what was not a message, by reason (pcap reader skips, neither HEP nor SIP, HEP that does not decode)
 * @param from       capture time of the earliest message, {@code null} without messages
 * @param to         capture time of the latest message
 * @param callIds    the first 20 Call-IDs, in capture order
 * @param truncation where the file ended inside a record, or {@code null}
 */
public record ImportResult(long messages, long stored, long duplicates, long rejected, long censored, Map<String, Long> skipped,
                           Instant from, Instant to, List<String> callIds, String truncation) {
}
