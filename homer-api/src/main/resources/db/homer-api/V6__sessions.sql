-- Login sessions (docs/api.md, "Sessions"). A login JWT names its session (claim jti); every request
-- checks that the session exists, has not expired, and belongs to the account's current session
-- generation. A password change, an admin's reset and disabling an account bump the generation in the
-- same UPDATE that changes the account, so every session opened before ends at once, including a login
-- that read the old password hash while the change ran (it carries the generation read with that hash).
-- Logout deletes one session.
ALTER TABLE users ADD COLUMN session_generation bigint NOT NULL DEFAULT 0;

CREATE TABLE sessions (
    id         uuid PRIMARY KEY,
    username   text        NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    generation bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_username_idx ON sessions (username, created_at);
