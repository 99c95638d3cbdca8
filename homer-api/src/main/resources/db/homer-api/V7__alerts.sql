-- Alerts delivered by Alertmanager's webhook (docs/api.md, "Alerts"): one row per occurrence of an
-- alert, that is per fingerprint (its label set) and start. A redelivery updates the row; a resolved
-- occurrence stays resolved (Alertmanager starts a new occurrence when the alert fires again).
CREATE TABLE alerts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fingerprint      text        NOT NULL CONSTRAINT alerts_fingerprint_syntax CHECK (fingerprint ~ '^[0-9a-f]{1,64}$'),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz,
    status           text        NOT NULL CONSTRAINT alerts_status_known CHECK (status IN ('firing', 'resolved')),
    alertname        text        NOT NULL,
    severity         text,
    -- the alert's node label: what tenant scope matches (an alert without one is for unscoped callers)
    node             text,
    labels           jsonb       NOT NULL,
    annotations      jsonb       NOT NULL,
    generator_url    text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alerts_occurrence_unique UNIQUE (fingerprint, starts_at),
    CONSTRAINT alerts_resolved_ended CHECK ((status = 'resolved') = (ends_at IS NOT NULL))
);
-- The alerts page: firing ones (few), then the recent past; retention deletes by end.
CREATE INDEX alerts_firing ON alerts (starts_at DESC) WHERE status = 'firing';
CREATE INDEX alerts_ends_at ON alerts (ends_at);
CREATE INDEX alerts_starts_at ON alerts (starts_at DESC);
