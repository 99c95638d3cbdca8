-- Tenants: a tenant sees only the messages captured by one of its nodes or sent from or to one of its
-- networks (docs/api.md, "Tenants"). Networks are stored with their host bits clear, like aliases.
CREATE TABLE tenants (
    name       text PRIMARY KEY CONSTRAINT tenants_name_syntax CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    nodes      text[]      NOT NULL DEFAULT '{}' CONSTRAINT tenants_nodes_bounded CHECK (cardinality(nodes) <= 100),
    networks   inet[]      NOT NULL DEFAULT '{}' CONSTRAINT tenants_networks_bounded CHECK (cardinality(networks) <= 100),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- An account or API token with a tenant is limited to it; a tenant still assigned cannot be deleted
-- (the API answers 409). A scoped account is never an admin, so admin pages stay unscoped.
ALTER TABLE users ADD COLUMN tenant text REFERENCES tenants (name) ON DELETE RESTRICT;
ALTER TABLE users ADD CONSTRAINT users_admin_unscoped CHECK (tenant IS NULL OR role <> 'admin');
ALTER TABLE api_tokens ADD COLUMN tenant text REFERENCES tenants (name) ON DELETE RESTRICT;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_admin_unscoped CHECK (tenant IS NULL OR role <> 'admin');

-- A share keeps its creator's scope as it was when the link was made (scope_nodes NULL: unscoped), so
-- a later change of the tenant neither widens nor narrows what the link shows.
ALTER TABLE shares ADD COLUMN scope_tenant text;
ALTER TABLE shares ADD COLUMN scope_nodes text[];
ALTER TABLE shares ADD COLUMN scope_networks inet[];
ALTER TABLE shares ADD CONSTRAINT shares_scope_complete
    CHECK ((scope_nodes IS NULL) = (scope_networks IS NULL) AND (scope_nodes IS NULL) = (scope_tenant IS NULL));
