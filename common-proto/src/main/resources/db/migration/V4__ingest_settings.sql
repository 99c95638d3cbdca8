-- The storage and extraction settings the collectors run with, published by each collector when it
-- starts (the last one to start wins; replicas share their configuration), so that every other writer
-- (homer-api's PCAP import) stores rows exactly as the collectors do without a copy of their settings.
-- See docs/schema.md, "Ingest settings". One row.

CREATE TABLE ingest_settings (
    id           smallint    PRIMARY KEY DEFAULT 1 CONSTRAINT ingest_settings_one_row CHECK (id = 1),
    settings     jsonb       NOT NULL,
    published_at timestamptz NOT NULL,
    published_by text
);
