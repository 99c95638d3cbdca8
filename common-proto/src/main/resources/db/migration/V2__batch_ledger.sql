-- Batch ledger: the ids of the batches MessageWriter committed, written in the same transaction as
-- the batch's rows, so that a batch retried after a lost acknowledgement is recognised and not
-- stored twice. See docs/schema.md, "Batch ledger". PartitionMaintainer deletes old entries.

CREATE TABLE ingest_batches (
    batch_id  uuid        PRIMARY KEY,
    stored_at timestamptz NOT NULL,
    rows      integer     NOT NULL,
    -- the rows the database refused, when any: [{"i": <index among the sent rows>, "state": "<SQLSTATE>", "error": "..."}]
    refused   jsonb
);

-- pruning scans by age
CREATE INDEX ingest_batches_stored_at ON ingest_batches (stored_at);
