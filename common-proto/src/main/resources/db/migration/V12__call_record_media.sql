-- A call record's media quality (issue 14; docs/media.md, "In the call record"): what the call's RTCP and
-- voice-quality reports say of its worst stream, written by the call records' builder with the rest of the
-- record. A collector's batch with a report names the report's call in call_changes (as with the call's SIP
-- rows), so a report arriving after the BYE still reaches the record. NULL: no report.
ALTER TABLE call_records
    ADD COLUMN media_reports integer NOT NULL DEFAULT 0,
    ADD COLUMN mos           real,  -- the lowest of the streams' mean MOS (E-model)
    ADD COLUMN mos_min       real,  -- the lowest MOS of one report
    ADD COLUMN loss_percent  real,  -- the highest of the streams' mean loss
    ADD COLUMN jitter_ms     real,  -- the highest jitter of one report
    ADD COLUMN rtt_ms        real,  -- the highest of the streams' mean round trip
    ADD COLUMN verdicts      text[] NOT NULL DEFAULT '{}'; -- one_way_audio, high_loss, ... (CallMedia)
