package io.hepstack.ingest;

import io.hepstack.proto.call.CallRecordStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/** What the call records' passes did: {@code hep_call_records_*}, {@code hep_registration_records_written_total} (docs/ingest.md, "Metrics"). */
final class CallRecordMetrics {

    private final Counter ran;
    private final Counter skipped;
    private final Counter failed;
    private final Counter changes;
    private final Counter written;
    private final Counter registrations;
    private final Counter timedOut;
    private final AtomicLong backlog = new AtomicLong();
    private final java.util.Map<String, Counter> verdicts = new java.util.HashMap<>();

    CallRecordMetrics(MeterRegistry registry) {
        String passes = "hep.call.records.passes";
        String help = "Call record passes of this collector: ran, skipped (another collector's was running) or failed";
        ran = Counter.builder(passes).description(help).tag("result", "ran").register(registry);
        skipped = Counter.builder(passes).description(help).tag("result", "skipped").register(registry);
        failed = Counter.builder(passes).description(help).tag("result", "failed").register(registry);
        changes = Counter.builder("hep.call.records.changes")
                .description("Changes taken from the feed (a Call-ID per batch that changed the call)").register(registry);
        written = Counter.builder("hep.call.records.written").description("Call records written (new or changed calls)")
                .register(registry);
        registrations = Counter.builder("hep.registration.records.written")
                .description("Registration records written (every binding of the AoRs whose REGISTER rows changed)").register(registry);
        timedOut = Counter.builder("hep.call.records.timed.out")
                .description("Ringing calls recorded as not answered when their ring timeout passed").register(registry);
        for (String v : io.hepstack.proto.media.CallMedia.VERDICTS) {
            verdicts.put(v, Counter.builder("hep.call.media.verdicts")
                    .description("Ended calls whose record got this media verdict (when the call ended, or from a later report)")
                    .tag("verdict", v).register(registry));
        }
        Gauge.builder("hep.call.records.backlog", backlog, AtomicLong::get)
                .description("1 while the last pass of this collector took as many changes as it may (max-changes-per-pass)")
                .register(registry);
    }

    void pass(CallRecordStore.Pass p) {
        if (!p.ran()) {
            skipped.increment();
            return;
        }
        ran.increment();
        changes.increment(p.changes());
        written.increment(p.recorded());
        registrations.increment(p.registrations());
        timedOut.increment(p.timedOut());
        backlog.set(p.backlog() ? 1 : 0);
        p.verdicts().forEach((v, n) -> {
            Counter c = verdicts.get(v);
            if (c != null) {
                c.increment(n);
            }
        });
    }

    void failed() {
        failed.increment();
    }
}
