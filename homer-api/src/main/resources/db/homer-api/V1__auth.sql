-- homer-api's own tables, in schema homer_api with their own Flyway history
-- (homer_api.flyway_schema_history): independent of the message store's migrations.
-- See docs/api.md, "Storage".

-- Instance-wide settings shared by every replica (the generated JWT key).
CREATE TABLE settings (
    name       text PRIMARY KEY,
    value      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    username            text PRIMARY KEY CONSTRAINT users_username_syntax CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
    password_hash       text        NOT NULL,
    role                text        NOT NULL CONSTRAINT users_role_known CHECK (role IN ('admin', 'user', 'viewer')),
    disabled            boolean     NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- API tokens for scripts: only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL CONSTRAINT api_tokens_name_length CHECK (length(name) BETWEEN 1 AND 100),
    token_hash bytea       NOT NULL CONSTRAINT api_tokens_hash_unique UNIQUE,
    role       text        NOT NULL CONSTRAINT api_tokens_role_known CHECK (role IN ('admin', 'user', 'viewer')),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz
);
