-- Call records in day partitions of started_at (issue 13, "Retention like the messages"): past the calls'
-- retention a whole day is dropped by the partition maintainer instead of deleted row by row, and a list,
-- KPI or breakdown over a time range reads only the days it covers. One day per partition, named
-- call_records_p<yyyyMMdd> (UTC), whatever the messages' width: this migration has no width to read, and
-- the maintainer creates today's and tomorrow's (common-proto's CallRecordPartitions). The key becomes
-- (call_id, started_at), as a partition key must be part of it: the builder upserts on it and deletes
-- the row a call leaves when an earlier copy of its INVITE moves its start to another day.
--
-- Re-runnable: Flyway records a migration on a connection of its own after the migration's commit, so a
-- database stopped between the two has this applied but unrecorded, and the next start runs it again
-- (docs/operations.md, "Migrations"). Once call_records is partitioned there is nothing left to do.
DO $migration$
DECLARE
    day date;
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = 'call_records'::regclass) = 'p' THEN
        RETURN;
    END IF;
    ALTER TABLE call_records RENAME TO call_records_unpartitioned;
    ALTER INDEX call_records_pkey RENAME TO call_records_unpartitioned_pkey;
    ALTER INDEX call_records_list RENAME TO call_records_unpartitioned_list;
    ALTER INDEX call_records_ringing RENAME TO call_records_unpartitioned_ringing;

    -- the same columns (names, types, collations, NOT NULL, defaults) in the same order
    CREATE TABLE call_records (LIKE call_records_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (started_at);
    ALTER TABLE call_records ADD PRIMARY KEY (call_id, started_at);
    -- the call list by time, and the timeout sweep of calls still ringing
    CREATE INDEX call_records_list ON call_records (started_at, call_id);
    CREATE INDEX call_records_ringing ON call_records (started_at) WHERE state = 'ringing';

    -- a partition for each day that has records, then the records
    FOR day IN SELECT DISTINCT (started_at AT TIME ZONE 'UTC')::date FROM call_records_unpartitioned LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF call_records FOR VALUES FROM (%L) TO (%L)',
                       'call_records_p' || to_char(day, 'YYYYMMDD'),
                       to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
    END LOOP;
    INSERT INTO call_records SELECT * FROM call_records_unpartitioned;
    DROP TABLE call_records_unpartitioned;
END
$migration$;
