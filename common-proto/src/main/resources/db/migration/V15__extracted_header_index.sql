-- Search by a header the collectors extract whole (homer.ingest.extraction.extra-headers, no pattern): homer-api
-- reads header.NAME of such a header from extra.headers instead of the raw payload, so no text range bounds it,
-- and a whole value (header.X-Customer-Id=acme) is found by containment through this index (docs/schema.md,
-- "Indexes"; issue 22). GIN with jsonb_path_ops: one entry per extracted header and value. Partial: only rows
-- that carry extracted headers have entries, so a store whose collectors extract none pays nothing at ingest.
-- Declared on messages: it cascades to every partition, present and future. On a store that already holds
-- messages, creating it reads every partition while holding off its writers.
CREATE INDEX messages_extra_headers ON messages USING gin ((extra->'headers') jsonb_path_ops) WHERE extra ? 'headers';
