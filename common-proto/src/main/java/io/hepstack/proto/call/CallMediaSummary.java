package io.hepstack.proto.call;

import io.hepstack.proto.media.CallMedia;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A call record's media quality: what {@link CallMedia} made of the call's reports, cut to the figures a call
 * list shows and searches by (docs/media.md, "In the call record"). Every figure is about the call's worst
 * stream, {@code null} without a report.
 *
 * @param reports     media reports read
 * @param mos         the lowest of the streams' mean MOS: the worse direction's quality
 * @param minMos      the lowest MOS of any one report
 * @param lossPercent the highest of the streams' mean loss
 * @param jitterMs    the highest jitter of any report
 * @param rttMs       the highest of the streams' mean round trip
 * @param verdicts    the verdicts' codes, each once, worst first ({@code no_media_reports} only for an answered call)
 */
public record CallMediaSummary(int reports, Double mos, Double minMos, Double lossPercent, Double jitterMs, Double rttMs,
                               List<String> verdicts) {

    /** A call that was not answered and has no report: nothing to say. */
    public static final CallMediaSummary NONE = new CallMediaSummary(0, null, null, null, null, null, List.of());

    public CallMediaSummary {
        verdicts = List.copyOf(verdicts);
    }

    /** The record's summary of {@code s}; {@code answered}: whether the call was answered (media was due). */
    public static CallMediaSummary of(CallMedia.Summary s, boolean answered) {
        if (s.streams().isEmpty() && s.reports() == 0 && !answered) {
            return NONE;
        }
        Double mos = null;
        Double minMos = null;
        Double loss = null;
        Double jitter = null;
        Double rtt = null;
        for (CallMedia.Stream st : s.streams()) {
            mos = mos == null ? st.mos() : Math.min(mos, st.mos());
            minMos = minMos == null ? st.minMos() : Math.min(minMos, st.minMos());
            loss = loss == null ? st.lossPercent() : Math.max(loss, st.lossPercent());
            jitter = jitter == null ? st.maxJitterMs() : Math.max(jitter, st.maxJitterMs());
            if (st.rttMs() != null) {
                rtt = rtt == null ? st.rttMs() : Math.max(rtt, st.rttMs());
            }
        }
        Set<String> codes = new LinkedHashSet<>();
        for (CallMedia.Verdict v : s.verdicts()) {
            codes.add(v.code());
        }
        return new CallMediaSummary(s.reports(), mos, minMos, loss, jitter, rtt, new ArrayList<>(codes));
    }
}
