-- The early dialogs of a call's INVITE (issue 13; docs/architecture.md, "Call records"): one per To tag of the
-- replies to its last initial INVITE, so a forked INVITE shows each device that rang, answered, was cancelled or
-- refused, and which one answered (common-proto CallRecord.Dialog). Written by the call records' builder with the
-- rest of the record: a rewrite of the record replaces them. A jsonb array on the record's row rather than a child
-- table: they are only ever read with their record (GET /api/v1/calls/{callId}), and a pass writes each record in one
-- statement, which a child table would make a delete and an insert more. Form: common-proto DialogsColumn.
-- Records written before this migration have none ('[]') until rebuilt (hep-tools calls rebuild).
ALTER TABLE call_records
    ADD COLUMN dialogs         jsonb   NOT NULL DEFAULT '[]', -- at most 32 (CallRecord.Dialogs.MAX), first to reply first
    ADD COLUMN dialogs_dropped integer NOT NULL DEFAULT 0;    -- the dialogs beyond those, counted
