-- Names of hosts shown in call flows: an address with a port, or an address on any port (port NULL).
CREATE TABLE aliases (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ip         inet        NOT NULL,
    port       integer     CONSTRAINT aliases_port_in_range CHECK (port BETWEEN 0 AND 65535),
    alias      text        NOT NULL CONSTRAINT aliases_alias_length CHECK (length(alias) BETWEEN 1 AND 100),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT aliases_endpoint_unique UNIQUE NULLS NOT DISTINCT (ip, port)
);
