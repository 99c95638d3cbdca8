-- Share links: a call flow readable without login by whoever holds the token, until it expires or
-- is revoked. Only the SHA-256 of the token is stored.
CREATE TABLE shares (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea       NOT NULL CONSTRAINT shares_hash_unique UNIQUE,
    call_id    text        NOT NULL CONSTRAINT shares_call_id_length CHECK (length(call_id) BETWEEN 1 AND 512),
    from_ts    timestamptz NOT NULL,
    to_ts      timestamptz NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CONSTRAINT shares_range_ordered CHECK (from_ts < to_ts)
);
CREATE INDEX shares_created_by ON shares (created_by);
