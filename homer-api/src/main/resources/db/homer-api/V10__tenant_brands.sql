-- A tenant's branding of the customer embed (docs/api.md, "Tenant branding"): a name, an accent colour and
-- a small logo image, each optional. The API checks them (PNG, JPEG or WebP by their magic bytes, never SVG);
-- the constraints keep the table honest whatever writes to it.
CREATE TABLE tenant_brands (
    tenant     text PRIMARY KEY REFERENCES tenants (name) ON DELETE CASCADE,
    title      text CONSTRAINT tenant_brands_title_length CHECK (length(title) BETWEEN 1 AND 64),
    accent     text CONSTRAINT tenant_brands_accent_syntax CHECK (accent ~ '^#[0-9a-f]{6}$'),
    logo       bytea CONSTRAINT tenant_brands_logo_size CHECK (octet_length(logo) BETWEEN 1 AND 65536),
    logo_type  text CONSTRAINT tenant_brands_logo_type CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenant_brands_logo_typed CHECK ((logo IS NULL) = (logo_type IS NULL))
);
