-- Log lines (HEP type 100) are searched by level (homer-api: logLevel=error, logLevel=warning+): the log
-- family stores a line's level in extra->'log'->>'level' (docs/schema.md, "extra"). Declared on
-- messages_log only, where every log row is (the search names kind 'log' with the level, so PostgreSQL
-- reads no other kind); partial: a line that names no level has no entry. It cascades to
-- every time partition of messages_log, present and future. Ingest cost: one small insert per levelled
-- log line.
CREATE INDEX messages_log_level ON messages_log ((extra->'log'->>'level'), ts)
    WHERE (extra->'log'->>'level') IS NOT NULL;
