-- The value at a path of a JSON payload, for the search's json.PATH filters (GET /api/v1/messages?json.level=error,
-- docs/api.md): NULL when the payload is no JSON document (SIP, a plain log line, bytes stored as bytea, JSON that
-- does not parse) or has nothing at the path, never an error, so one odd row cannot fail a search. The cast runs
-- inside its own exception block (a subtransaction per row that starts like JSON): the filter is bounded to
-- homer.api.search.max-text-range like the free-text search, and it reads payloads no index serves.
CREATE FUNCTION hep_json_at(doc text, path text[]) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF doc IS NULL OR left(ltrim(doc), 1) NOT IN ('{', '[') THEN
        RETURN NULL;
    END IF;
    RETURN doc::jsonb #> path;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
