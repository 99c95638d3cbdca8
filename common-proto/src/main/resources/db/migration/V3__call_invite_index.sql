-- The call list (homer-api GET /api/v1/calls) picks a page of calls from the INVITEs of a time range.
-- Without this index it read every call message of the range (an hour of a busy system: 280,000 rows,
-- 350 MB) to keep the 10 % that are INVITEs; with it, the INVITEs' (ts, call_id) come from the index
-- alone (index-only scan once the visibility map is set, which autovacuum does for insert-only tables).
-- Declared on messages_call only: the other kinds hold no INVITE. It cascades to every time partition
-- of messages_call, present and future. Ingest cost: one small insert per INVITE row.
CREATE INDEX messages_call_invite_ts ON messages_call (ts, call_id) WHERE method = 'INVITE' AND call_id IS NOT NULL;
