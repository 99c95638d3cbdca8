-- The capture hops of a call's INVITE (issue 13, AHR: average hops per request; docs/api.md, "Statistics"): how many
-- capture points saw the call's first initial INVITE, a capture point being one capture agent (node or capture id)
-- on one pair of addresses, a retransmission seen again there counting once (DialogRecorder). Written by the call
-- records' builder with the rest of the record. NULL: recorded before this column existed; a rebuild over the
-- call's range (hep-tools calls rebuild) fills it.
ALTER TABLE call_records ADD COLUMN invite_hops integer;
