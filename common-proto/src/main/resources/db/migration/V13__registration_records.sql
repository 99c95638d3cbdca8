-- Registration records (issue 13, "Registrations"; docs/architecture.md, "Registration records"): one row per
-- binding, an address of record (user@domain of To) registered with one Contact URI from one source address by
-- one User-Agent, read from its REGISTER transactions by common-proto's RegistrationRecorder and kept current
-- by the call records' passes (the same feed, lock and transaction). Replaced whole each time the binding's
-- REGISTER rows change: a record depends only on them. 'expired' is not stored: a 'registered' binding whose
-- expires_at has passed is expired when read (RegistrationState.SQL_AT).
CREATE TABLE registration_records (
    id                  bigint GENERATED ALWAYS AS IDENTITY UNIQUE, -- the lists' tie-breaker, kept by the upsert
    aor                 text COLLATE "C" NOT NULL, -- user@domain (the domain lower-cased); a prefix LIKE uses the key
    contact             text COLLATE "C" NOT NULL, -- the Contact URI as the client wrote it
    src_ip              inet        NOT NULL,      -- the client's address: source of the REGISTER's earliest copy
    src_port            integer     NOT NULL,
    user_agent          text COLLATE "C" NOT NULL, -- '' without a User-Agent header
    state               text        NOT NULL,      -- registered, unregistered, failed, challenge_loop
    expires_at          timestamptz,               -- a registered binding's end: its 200's time + the granted expiry
    first_register_at   timestamptz NOT NULL,      -- the first and last REGISTER of the binding read (its lookback)
    last_register_at    timestamptz NOT NULL,
    last_success_at     timestamptz,
    last_failure_at     timestamptz,
    last_failure_status smallint,
    registers           integer     NOT NULL,      -- REGISTER transactions read
    challenges          integer     NOT NULL,      -- of them answered 401/407
    failures            integer     NOT NULL,      -- of them answered with another final error (3xx-6xx)
    dst_ip              inet,                      -- the registrar: destination of the latest REGISTER's earliest copy
    dst_port            integer,
    nodes               text[]      NOT NULL,
    stored_rows         integer     NOT NULL,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (aor, contact, src_ip, src_port, user_agent)
);
-- the list newest first (GET /api/v1/registrations), its time range, and the retention's deletes
CREATE INDEX registration_records_recent ON registration_records (last_register_at, id);
-- the list's "failing" order: most failures first, then challenges, then the newest
CREATE INDEX registration_records_failing ON registration_records (failures, challenges, last_register_at, id);
-- the srcIp filter (an address or a network)
CREATE INDEX registration_records_src_ip ON registration_records USING gist (src_ip inet_ops);

-- The change feed carries REGISTER changes too: the Call-IDs of a batch's registration rows, kind
-- 'registration' (the calls' changes are kind 'call'). One feed, one pass, one lock for both kinds of record.
ALTER TABLE call_changes ADD COLUMN kind text NOT NULL DEFAULT 'call' CHECK (kind IN ('call', 'registration'));
