-- The call list chosen by a record's fields (state, who hung up, cause, durations: GET /api/v1/calls with
-- them, docs/api.md) walks the records newest first in the list's own order (started_at DESC, call_id
-- DESC) and stops once its page is full: this index gives that order whole, where the one on started_at
-- alone left ties to a sort. It replaces that one (a prefix of it) for the retention's deletes too.
CREATE INDEX call_records_list ON call_records (started_at, call_id);
DROP INDEX call_records_started_at;
