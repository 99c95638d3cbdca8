-- Imported captures (POST /api/v1/import/pcap): their messages are stored at their capture times,
-- whatever their age, and kept for the import's own period counted from the import. One row per
-- imported capture holds the time range its messages were stored in and until when that range is
-- kept: PartitionMaintainer drops no time partition (of any kind) overlapping the range of an import
-- whose keep_until is still ahead, and forgets the row once the import expired and the live retention
-- has passed its range. See docs/schema.md, "Imported captures".
CREATE TABLE capture_imports (
    import_id   text        PRIMARY KEY,   -- the capture's identity: its SHA-256 in hex for a PCAP file
    imported_at timestamptz NOT NULL,      -- the last import of it (a re-import renews the period)
    keep_until  timestamptz NOT NULL,
    first_ts    timestamptz NOT NULL,      -- the earliest and latest ts stored for it
    last_ts     timestamptz NOT NULL,
    CONSTRAINT capture_imports_range CHECK (first_ts <= last_ts)
);

-- The batches of an import stay in the ledger as long as the import's row does, so that importing the
-- same capture again stores nothing for as long as its messages may be kept (not only for the ledger's
-- day). NULL for a collector's batches.
ALTER TABLE ingest_batches ADD COLUMN import_id text;
