-- A share link is owned by a principal, not by a name (docs/api.md, "Share links"): an account by its
-- id, so that a new account of a deleted one's name is another owner, or an API token by its id, so that
-- two tokens of one name (in two tenants) are two owners. created_by stays as the name shown.
ALTER TABLE users ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE users ADD CONSTRAINT users_id_unique UNIQUE (id);

-- A deleted owner leaves its links without one: they stop working and admins still list them.
ALTER TABLE shares ADD COLUMN owner_account bigint REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE shares ADD COLUMN owner_token bigint REFERENCES api_tokens (id) ON DELETE SET NULL;
ALTER TABLE shares ADD CONSTRAINT shares_one_owner CHECK (owner_account IS NULL OR owner_token IS NULL);
CREATE INDEX shares_owner_account ON shares (owner_account);
CREATE INDEX shares_owner_token ON shares (owner_token);
DROP INDEX shares_created_by;

-- Links made before: owned by the account or token of their creator's name that existed when the link
-- was made; a token name held by two such tokens names no owner (the link stops, admins see it).
UPDATE shares s SET owner_account = u.id
FROM users u
WHERE u.username = s.created_by AND u.created_at <= s.created_at;

UPDATE shares s SET owner_token = k.id
FROM api_tokens k
WHERE s.created_by = 'token:' || k.name AND k.created_at <= s.created_at
  AND (SELECT count(*) FROM api_tokens k2
       WHERE s.created_by = 'token:' || k2.name AND k2.created_at <= s.created_at) = 1;
