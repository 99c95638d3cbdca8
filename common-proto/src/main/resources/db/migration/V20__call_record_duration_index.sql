-- The calls of a range by how long they lasted: GET /api/v1/calls?duration=>1h (a few calls of the day, found
-- through this index instead of reading every record of the day along call_records_list) and ?sort=duration
-- (the longest first: the index walked backwards). Only answered calls have a duration; the others are not in it.
-- On the partitioned table it is created on every day's partition, and on each new one with the others.
-- Re-runnable: an interrupted run (the index made, Flyway's record of it not) runs again (docs/operations.md,
-- "Migrations interrupted").
CREATE INDEX IF NOT EXISTS call_records_duration ON call_records (duration_ms) WHERE duration_ms IS NOT NULL;
