-- Call records (issue 13): what happened to each call, read from its SIP messages by common-proto's
-- DialogRecorder and kept current by one builder among the collectors (docs/architecture.md, "Call
-- records"). One row per Call-ID, replaced whole each time the call changes: a record depends only on
-- the call's stored messages, so writing it again is always safe. Retention follows the calls' messages
-- (the builder deletes records that started before the oldest call partition kept).
CREATE TABLE call_records (
    call_id              text COLLATE "C" NOT NULL PRIMARY KEY, -- as messages.call_id: one index serves a join of both
    started_at           timestamptz NOT NULL,
    state                text        NOT NULL,
    hangup_by            text        NOT NULL,
    final_status         smallint,
    final_phrase         text,
    reason_protocol      text,
    reason_cause         integer,
    reason_text          text,
    caller_user          text,
    caller_name          text,
    caller_agent         text,
    callee_user          text,
    callee_name          text,
    callee_agent         text,
    ruri_user            text,
    src_ip               inet,
    src_port             integer,
    dst_ip               inet,
    dst_port             integer,
    nodes                text[]      NOT NULL,
    first_provisional_at timestamptz,
    ringing_at           timestamptz,
    answered_at          timestamptz,
    ended_at             timestamptz,
    pdd_ms               bigint,
    setup_ms             bigint,
    ring_ms              bigint,
    duration_ms          bigint,
    codecs               text[]      NOT NULL,
    messages             integer     NOT NULL,
    retransmissions      integer     NOT NULL,
    re_invites           integer     NOT NULL,
    stored_rows          integer     NOT NULL, -- the call's stored rows it was read from: changed rows, changed record
    updated_at           timestamptz NOT NULL
);
-- the call list by time, and the timeout sweep of calls still ringing
CREATE INDEX call_records_started_at ON call_records (started_at);
CREATE INDEX call_records_ringing ON call_records (started_at) WHERE state = 'ringing';

-- Where the builder is. Every call with a stored row of id <= safe_id has its record; rows above it
-- are looked at again each pass (a collector's batch may commit after a later id was already visible).
-- pending_id, the highest id seen at pending_at, becomes safe_id once the lateness window has passed.
-- Starts at the messages already stored when this migration ran: their calls are recorded on demand
-- (a rebuild over a time range), not all at once by the first pass.
CREATE TABLE call_record_progress (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    safe_id    bigint      NOT NULL,
    pending_id bigint      NOT NULL,
    pending_at timestamptz NOT NULL
);
INSERT INTO call_record_progress (safe_id, pending_id, pending_at)
SELECT coalesce(max(id), 0), coalesce(max(id), 0), now() FROM messages;
