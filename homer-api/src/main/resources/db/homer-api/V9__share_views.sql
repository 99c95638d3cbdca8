-- What a share link's customer sees (docs/api.md, "What the customer sees"): the legs (Call-IDs) shown,
-- the hosts shown with their address, whether every other address is masked and whether aliases and
-- node names are hidden. Links made before V9 have none (all four NULL) and keep showing every leg,
-- address and alias, as they did when they were handed out.
ALTER TABLE shares ADD COLUMN view_legs text[];
ALTER TABLE shares ADD COLUMN view_hosts text[];
ALTER TABLE shares ADD COLUMN view_mask boolean;
ALTER TABLE shares ADD COLUMN view_hide_aliases boolean;
ALTER TABLE shares ADD CONSTRAINT shares_view_complete
    CHECK ((view_legs IS NULL) = (view_hosts IS NULL) AND (view_legs IS NULL) = (view_mask IS NULL)
           AND (view_legs IS NULL) = (view_hide_aliases IS NULL));
ALTER TABLE shares ADD CONSTRAINT shares_view_bounded
    CHECK (cardinality(view_legs) BETWEEN 1 AND 200 AND cardinality(view_hosts) <= 200);
