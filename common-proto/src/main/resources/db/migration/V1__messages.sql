-- hepstack message store. See docs/schema.md for every column, index and rule.
-- Time partitions (messages_<kind>_p<start>) are not created here: PartitionMaintainer creates
-- them ahead and MessageWriter creates a missing one on demand.

DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'hepstack needs a UTF8 database (server_encoding is %)', current_setting('server_encoding');
    END IF;
END
$$;

-- CACHE: each session takes 100 ids at a time, so concurrent COPYs do not contend on the sequence.
CREATE SEQUENCE messages_id_seq AS bigint CACHE 100;

CREATE TABLE messages (
    id             bigint      NOT NULL DEFAULT nextval('messages_id_seq'),
    ts             timestamptz NOT NULL,
    agent_ts_us    bigint,
    kind           text        NOT NULL,
    capture_id     bigint      NOT NULL,
    node           text,
    proto_type     smallint    NOT NULL,
    ip_family      smallint    NOT NULL,
    transport      smallint    NOT NULL,
    src_ip         inet,
    src_port       integer     NOT NULL,
    dst_ip         inet,
    dst_port       integer     NOT NULL,
    correlation_id text COLLATE "C",
    call_id        text COLLATE "C",
    method         text,
    status         smallint,
    cseq           bigint,
    cseq_method    text,
    from_user      text COLLATE "C",
    from_tag       text,
    to_user        text COLLATE "C",
    to_tag         text,
    ruri_user      text COLLATE "C",
    user_agent     text,
    via_branch     text,
    parsed         boolean     NOT NULL,
    payload_text   text,
    payload_bytes  bytea,
    extra          jsonb,
    CONSTRAINT messages_pkey PRIMARY KEY (id, ts, kind),
    CONSTRAINT messages_payload_exactly_one CHECK ((payload_text IS NULL) <> (payload_bytes IS NULL)),
    CONSTRAINT messages_ports_in_range CHECK (src_port BETWEEN 0 AND 65535 AND dst_port BETWEEN 0 AND 65535),
    CONSTRAINT messages_hep_bytes_in_range CHECK (proto_type BETWEEN 0 AND 255 AND ip_family BETWEEN 0 AND 255
                                                   AND transport BETWEEN 0 AND 255)
) PARTITION BY LIST (kind);

ALTER SEQUENCE messages_id_seq OWNED BY messages.id;

CREATE TABLE messages_call         PARTITION OF messages FOR VALUES IN ('call')         PARTITION BY RANGE (ts);
CREATE TABLE messages_registration PARTITION OF messages FOR VALUES IN ('registration') PARTITION BY RANGE (ts);
CREATE TABLE messages_sip_other    PARTITION OF messages FOR VALUES IN ('sip_other')    PARTITION BY RANGE (ts);
CREATE TABLE messages_qos          PARTITION OF messages FOR VALUES IN ('qos')          PARTITION BY RANGE (ts);
CREATE TABLE messages_log          PARTITION OF messages FOR VALUES IN ('log')          PARTITION BY RANGE (ts);
CREATE TABLE messages_other        PARTITION OF messages FOR VALUES IN ('other')        PARTITION BY RANGE (ts);

-- Indexes are declared once on the root and cascade to every partition, present and future.
CREATE INDEX messages_ts_brin ON messages USING brin (ts) WITH (pages_per_range = 32);
CREATE INDEX messages_call_id ON messages (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX messages_correlation_id ON messages (correlation_id)
    WHERE correlation_id IS NOT NULL AND correlation_id IS DISTINCT FROM call_id;
CREATE INDEX messages_from_user ON messages (from_user) WHERE from_user IS NOT NULL;
CREATE INDEX messages_to_user ON messages (to_user) WHERE to_user IS NOT NULL;
CREATE INDEX messages_ruri_user ON messages (ruri_user)
    WHERE ruri_user IS NOT NULL AND ruri_user IS DISTINCT FROM to_user;
CREATE INDEX messages_src_ip ON messages (src_ip) WHERE src_ip IS NOT NULL;
CREATE INDEX messages_dst_ip ON messages (dst_ip) WHERE dst_ip IS NOT NULL;
