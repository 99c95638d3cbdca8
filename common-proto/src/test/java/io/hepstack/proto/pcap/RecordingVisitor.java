package io.hepstack.proto.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records everything a reader reports, for assertions. */
final class RecordingVisitor implements PcapVisitor {
    final List<PcapPacket> udp = new ArrayList<>();
    /** One line per TCP or skip event, e.g. {@code data 10.0.0.1:1 -> 10.0.0.2:2 "abc" #3}. */
    final List<String> events = new ArrayList<>();
    final Map<FlowKey, ByteArrayOutputStream> streams = new LinkedHashMap<>();
    final List<long[]> chunkTimes = new ArrayList<>();

    @Override
    public void onUdp(PcapPacket packet) {
        udp.add(packet);
    }

    @Override
    public void onData(FlowKey flow, byte[] data, long timestampMicros, long frameNumber) {
        streams.computeIfAbsent(flow, k -> new ByteArrayOutputStream()).writeBytes(data);
        chunkTimes.add(new long[] {timestampMicros, frameNumber, data.length});
        events.add("data " + flow + " \"" + new String(data, StandardCharsets.ISO_8859_1) + "\" #" + frameNumber);
    }

    @Override
    public void onGap(FlowKey flow, long skippedBytes, long frameNumber) {
        events.add("gap " + flow + " " + skippedBytes + " #" + frameNumber);
    }

    @Override
    public void onClose(FlowKey flow, TcpCloseReason reason) {
        events.add("close " + flow + " " + reason);
    }

    @Override
    public void onSkip(long frameNumber, SkipReason reason, String detail) {
        events.add("skip #" + frameNumber + " " + reason + ": " + detail);
    }

    byte[] stream(FlowKey flow) {
        ByteArrayOutputStream s = streams.get(flow);
        return s == null ? new byte[0] : s.toByteArray();
    }
}
