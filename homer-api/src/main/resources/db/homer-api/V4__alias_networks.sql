-- Aliases of networks: ip may now be a CIDR network (10.0.0.0/24, 2001:db8::/32) as well as one
-- address (an inet with a full-length prefix). A network is stored with its host bits clear, so one
-- network has one spelling and (ip, port) stays unique. A flow asks, per host, for the aliases whose
-- ip contains the host's address (ip >>= address): the GiST index answers that containment.
-- See docs/api.md, "Host aliases".
ALTER TABLE aliases ADD CONSTRAINT aliases_ip_is_network CHECK (ip = network(ip));
CREATE INDEX aliases_ip_contains ON aliases USING gist (ip inet_ops);
