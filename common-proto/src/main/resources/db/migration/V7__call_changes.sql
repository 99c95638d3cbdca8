-- The calls whose rows changed, for the call records' builder (docs/architecture.md, "Call records").
-- A collector that keeps call records (homer.ingest.calls.enabled) inserts the Call-IDs of a batch's
-- call rows in the same transaction as their COPY, so a Call-ID is here exactly when its rows are
-- visible: no lateness window, no scan of recent rows. A pass of the builder deletes what it takes in
-- its own transaction with the records it writes, so a pass that fails leaves them for the next.
CREATE TABLE call_changes (
    seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- oldest change first
    call_id text COLLATE "C" NOT NULL
);
-- Rows come and go every second: vacuum it by the count of dead rows, not by a fraction of a table
-- that is small between passes.
ALTER TABLE call_changes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                              autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);

-- The id-based progress of V6's builder is replaced by the feed.
DROP TABLE call_record_progress;
