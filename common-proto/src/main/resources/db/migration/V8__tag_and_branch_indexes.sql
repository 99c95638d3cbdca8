-- Search by From tag, To tag and Via branch (homer-api: fromTag, toTag, viaBranch; issue 22): the values
-- an engineer copies from a call's ladder. High-cardinality exact keys, so each gets a btree, partial like
-- the other keys (a row without the value, every non-SIP row, has no entry). Declared on messages: they
-- cascade to every partition, present and future. See docs/schema.md, "Indexes".
--
-- The columns take the "C" collation of the other indexed text columns, so that a prefix search
-- (viaBranch=z9hG4bK-10898-*) uses the index whatever the database's collation. A collation change of
-- text is binary compatible: no table rewrite, only a brief lock of each table. The writer cuts these
-- columns to 512 characters from this version on (MessageColumn), as it does the other indexed ones; rows
-- stored before are cut here, so that no older hostile value makes the index (and this migration) fail.
--
-- Ingest cost: up to three btree inserts per SIP row (an initial request has no To tag), measured in
-- docs/performance.md. On a store that already holds messages, creating the indexes reads every
-- partition while holding off its writers: collectors wait (their queues fill, then UDP drops) until it ends.
ALTER TABLE messages
    ALTER COLUMN from_tag TYPE text COLLATE "C",
    ALTER COLUMN to_tag TYPE text COLLATE "C",
    ALTER COLUMN via_branch TYPE text COLLATE "C";

UPDATE messages SET from_tag = left(from_tag, 512), to_tag = left(to_tag, 512), via_branch = left(via_branch, 512)
WHERE length(from_tag) > 512 OR length(to_tag) > 512 OR length(via_branch) > 512;

CREATE INDEX messages_from_tag ON messages (from_tag) WHERE from_tag IS NOT NULL;
CREATE INDEX messages_to_tag ON messages (to_tag) WHERE to_tag IS NOT NULL;
CREATE INDEX messages_via_branch ON messages (via_branch) WHERE via_branch IS NOT NULL;
