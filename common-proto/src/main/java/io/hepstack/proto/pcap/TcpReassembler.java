package io.hepstack.proto.pcap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds each TCP direction's byte stream (RFC 9293 sequence space) for a {@link TcpStreamListener}.
 *
 * <p>Sequence numbers are unwrapped to 64 bits relative to the expected next byte, so wrap-around is
 * transparent. Bytes before the expected one are duplicates and trimmed; segments ahead of it are
 * buffered until the hole fills. A hole is skipped (a gap) when the buffer or the look-ahead exceeds its
 * cap, when the peer acknowledges bytes beyond the hole (they were sent but not captured), on RST, and
 * at end of capture.
 */
final class TcpReassembler {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    private record Segment(long start, byte[] data, long timestamp, long frame) {
    }

    private static final class Direction {
        final FlowKey key;
        long next;
        boolean closed;
        long finAt = -1;
        /** The first data sequence number after the SYN, to recognise a retransmitted SYN; -1 without SYN. */
        long synDataSeq = -1;
        int buffered;
        final TreeMap<Long, Segment> ahead = new TreeMap<>();

        Direction(FlowKey key, long next) {
            this.key = key;
            this.next = next;
        }

        long unwrap(long seq32) {
            return next + (int) (seq32 - next);
        }
    }

    private final TcpStreamListener listener;
    private final ReassemblyLimits limits;
    private final Map<FlowKey, Direction> flows;
    private long totalBuffered;
    long flowsOpened;
    long bytesDelivered;
    long duplicateBytes;
    long gaps;
    long gapBytes;

    TcpReassembler(TcpStreamListener listener, ReassemblyLimits limits) {
        this.listener = listener;
        this.limits = limits;
        this.flows = new LinkedHashMap<>(64, 0.75f, true);
    }

    /** One segment: {@code len} payload bytes of {@code buf} from {@code off}. */
    void segment(FlowKey key, long seq, long ack, int flags, byte[] buf, int off, int len, long ts, long frame) {
        Direction d = flows.get(key);
        if ((flags & SYN) != 0) {
            long dataSeq = (seq + 1) & 0xFFFFFFFFL;
            if (d == null || d.synDataSeq != dataSeq) { // else a retransmitted SYN: nothing new
                if (d != null && !d.closed) {
                    skipAllGaps(d);
                    close(d, TcpCloseReason.REOPENED);
                }
                d = open(key, dataSeq);
                d.synDataSeq = dataSeq;
            }
            seq = dataSeq;
        } else if (d == null) {
            d = open(key, seq); // capture started mid-stream
        } else if (d.closed) {
            long start = d.unwrap(seq);
            if (start + len <= d.next || len == 0) {
                duplicateBytes += len;
                return; // late retransmission, or FIN/ACK after the end
            }
            d = open(key, Math.max(start, d.next)); // data after the end without SYN: a new stream
        }

        long start = d.unwrap(seq);
        long end = start + len;
        if (len > 0) {
            if (end <= d.next) {
                duplicateBytes += len;
            } else if (start <= d.next) {
                int trim = (int) (d.next - start);
                duplicateBytes += trim;
                deliver(d, Arrays.copyOfRange(buf, off + trim, off + len), ts, frame);
                drain(d);
            } else {
                buffer(d, new Segment(start, Arrays.copyOfRange(buf, off, off + len), ts, frame));
            }
        }
        if ((flags & FIN) != 0 && d.finAt < 0) {
            d.finAt = end;
        }
        if ((flags & RST) != 0) {
            skipAllGaps(d);
            close(d, TcpCloseReason.RESET);
        } else if (d.finAt >= 0 && d.next >= d.finAt) {
            close(d, TcpCloseReason.FIN);
        }
        if ((flags & ACK) != 0) {
            Direction peer = flows.get(key.reversed());
            if (peer != null && !peer.closed && !peer.ahead.isEmpty()) {
                long acked = peer.unwrap(ack);
                while (!peer.ahead.isEmpty() && peer.ahead.firstKey() < acked) {
                    skipGap(peer);
                }
                if (peer.finAt >= 0 && peer.next >= peer.finAt) {
                    close(peer, TcpCloseReason.FIN);
                }
            }
        }
    }

    /** Ends every open direction: buffered data is delivered across its gaps, then closed. */
    void finish() {
        List<Direction> open = new ArrayList<>();
        for (Direction d : flows.values()) {
            if (!d.closed) {
                open.add(d);
            }
        }
        for (Direction d : open) {
            skipAllGaps(d);
            close(d, TcpCloseReason.END_OF_CAPTURE);
        }
        flows.clear();
    }

    private Direction open(FlowKey key, long next) {
        Direction d = new Direction(key, next);
        flows.put(key, d);
        flowsOpened++;
        if (flows.size() > limits.maxTcpFlows()) {
            Iterator<Direction> it = flows.values().iterator();
            Direction eldest = it.next();
            it.remove();
            if (!eldest.closed) {
                skipAllGaps(eldest);
                close(eldest, TcpCloseReason.EVICTED);
            }
        }
        return d;
    }

    private void buffer(Direction d, Segment s) {
        Segment old = d.ahead.get(s.start());
        if (old != null) {
            if (old.data().length >= s.data().length) {
                duplicateBytes += s.data().length;
                return;
            }
            duplicateBytes += old.data().length;
            unbuffer(d, old);
        }
        d.ahead.put(s.start(), s);
        d.buffered += s.data().length;
        totalBuffered += s.data().length;
        while (!d.ahead.isEmpty() && (d.buffered > limits.maxTcpBytesPerFlow()
                || lastEnd(d) - d.next > limits.maxTcpBytesPerFlow()
                || totalBuffered > limits.maxTcpBytesTotal())) {
            skipGap(d);
        }
    }

    private static long lastEnd(Direction d) {
        Segment last = d.ahead.lastEntry().getValue();
        return last.start() + last.data().length;
    }

    private void unbuffer(Direction d, Segment s) {
        d.ahead.remove(s.start());
        d.buffered -= s.data().length;
        totalBuffered -= s.data().length;
    }

    /** Skips to the first buffered segment, announcing the gap, and delivers what then lines up. */
    private void skipGap(Direction d) {
        Segment first = d.ahead.firstEntry().getValue();
        if (first.start() > d.next) {
            long skipped = first.start() - d.next;
            gaps++;
            gapBytes += skipped;
            listener.onGap(d.key, skipped, first.frame());
            d.next = first.start();
        }
        drain(d);
    }

    private void skipAllGaps(Direction d) {
        while (!d.ahead.isEmpty()) {
            skipGap(d);
        }
    }

    private void drain(Direction d) {
        while (!d.ahead.isEmpty()) {
            Segment s = d.ahead.firstEntry().getValue();
            if (s.start() > d.next) {
                return;
            }
            unbuffer(d, s);
            long end = s.start() + s.data().length;
            if (end <= d.next) {
                duplicateBytes += s.data().length;
                continue;
            }
            int trim = (int) (d.next - s.start());
            duplicateBytes += trim;
            deliver(d, trim == 0 ? s.data() : Arrays.copyOfRange(s.data(), trim, s.data().length), s.timestamp(),
                    s.frame());
        }
    }

    private void deliver(Direction d, byte[] data, long ts, long frame) {
        d.next += data.length;
        bytesDelivered += data.length;
        listener.onData(d.key, data, ts, frame);
    }

    private void close(Direction d, TcpCloseReason reason) {
        for (Segment s : d.ahead.values()) {
            totalBuffered -= s.data().length;
        }
        d.ahead.clear();
        d.buffered = 0;
        d.closed = true;
        listener.onClose(d.key, reason);
    }
}
