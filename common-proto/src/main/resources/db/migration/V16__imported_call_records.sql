-- Call and registration records of imported captures (issue 20; docs/architecture.md, "Records of imported
-- captures"). An import stores its messages at their capture times, whatever their age, but the records'
-- pass read a changed call's rows only within its lookback (24 h) before now: a capture of three weeks ago got
-- no records. The feed now says which import a change came from: the pass reads that change's rows from the
-- import's first capture time (capture_imports.first_ts) and judges the call as of the capture's end
-- (last_ts), not as of now, so a call still ringing when the capture ended is not made a timeout weeks later.
-- NULL for a collector's changes.
ALTER TABLE call_changes ADD COLUMN import_id text;
-- The import a record was read from (NULL: live traffic): the ring-timeout sweep judges an imported call's
-- ringing as of its capture's end, and a rebuild keeps it.
ALTER TABLE call_records ADD COLUMN import_id text;
