package io.hepstack.ingest.listen;

import io.hepstack.proto.hep.HepRejectReason;
import io.micrometer.core.instrument.MeterRegistry;

/** What the listeners count (docs/ingest.md, "Metrics"): frames a stream could not deliver, connections they closed. */
public interface ListenerMetrics {

    /** Help text of {@code hep.packets.dropped}, the same for every stage (the listeners' kernel count too). */
    String DROPPED_DESCRIPTION = "Messages lost before they were stored, by stage and reason";

    /** A stream frame the decoder refused. */
    void rejected(HepRejectReason reason);

    /** A stream that ended inside a frame. */
    void streamTruncated();

    /** A connection closed by the collector, and why ({@code idle}, {@code connection_limit}, ...). */
    void connectionClosed(String reason);

    /** Where the listeners register their own gauges. */
    MeterRegistry registry();
}
