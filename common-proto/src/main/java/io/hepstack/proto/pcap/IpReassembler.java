package io.hepstack.proto.pcap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds fragmented IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5) datagrams. Datagrams are keyed by
 * addresses, identification and (IPv4) protocol. At most {@code maxPending} datagrams wait at once;
 * the oldest is dropped beyond that, and any datagram older than {@link #TIMEOUT_MICROS} of capture
 * time is dropped, both reported as incomplete.
 */
final class IpReassembler {
    /** Reassembly timeout, as Linux {@code ipfrag_time} (30 s) doubled for capture clock skew. */
    static final long TIMEOUT_MICROS = 60_000_000L;
    /** Largest reassembled payload: the IP length fields are 16 bits. */
    static final int MAX_PAYLOAD = 65_535;

    record Key(InetAddress src, InetAddress dst, long id, int proto) {
    }

    /** Told about each datagram given up on. */
    interface Incomplete {
        void dropped(long lastFrame, String detail);
    }

    private record Fragment(int offset, byte[] data) {
    }

    private static final class Pending {
        final List<Fragment> fragments = new ArrayList<>();
        final long firstTimestamp;
        long lastFrame;
        int total = -1;

        Pending(long firstTimestamp) {
            this.firstTimestamp = firstTimestamp;
        }
    }

    private final int maxPending;
    private final Incomplete incomplete;
    private final Map<Key, Pending> pending = new LinkedHashMap<>();

    IpReassembler(int maxPending, Incomplete incomplete) {
        this.maxPending = maxPending;
        this.incomplete = incomplete;
    }

    /**
     * Adds one fragment; returns the whole payload when this fragment completes the datagram, else null.
     */
    byte[] add(Key key, int offset, byte[] data, int from, int len, boolean more, long ts, long frame)
            throws SkipException {
        if ((long) offset + len > MAX_PAYLOAD) {
            throw new SkipException(SkipReason.MALFORMED_IP_HEADER, "fragment offset " + offset + " plus length " + len
                    + " exceeds " + MAX_PAYLOAD);
        }
        expire(ts);
        Pending p = pending.computeIfAbsent(key, k -> new Pending(ts));
        p.lastFrame = frame;
        if (!more && p.total < 0) {
            p.total = offset + len;
        }
        p.fragments.add(new Fragment(offset, Arrays.copyOfRange(data, from, from + len)));
        if (p.total >= 0) {
            byte[] whole = assemble(p);
            if (whole != null) {
                pending.remove(key);
                return whole;
            }
        }
        while (pending.size() > maxPending) {
            Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
            Map.Entry<Key, Pending> eldest = it.next();
            it.remove();
            drop(eldest.getKey(), eldest.getValue(), "evicted: more than " + maxPending + " datagrams pending");
        }
        return null;
    }

    /** Reports every datagram still pending. */
    void finish() {
        for (Map.Entry<Key, Pending> e : pending.entrySet()) {
            drop(e.getKey(), e.getValue(), "capture ended");
        }
        pending.clear();
    }

    private void expire(long now) {
        Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Pending> e = it.next();
            if (now - e.getValue().firstTimestamp <= TIMEOUT_MICROS) {
                break; // insertion order: the rest are younger
            }
            it.remove();
            drop(e.getKey(), e.getValue(), "timed out after " + TIMEOUT_MICROS / 1_000_000 + " s");
        }
    }

    private void drop(Key key, Pending p, String why) {
        incomplete.dropped(p.lastFrame, "IP datagram id " + key.id() + " " + key.src().getHostAddress() + " -> "
                + key.dst().getHostAddress() + ": " + p.fragments.size() + " fragments, incomplete (" + why + ")");
    }

    private static byte[] assemble(Pending p) {
        p.fragments.sort(Comparator.comparingInt(Fragment::offset));
        int covered = 0;
        for (Fragment f : p.fragments) {
            if (f.offset() > covered) {
                return null;
            }
            covered = Math.max(covered, f.offset() + f.data().length);
        }
        if (covered < p.total) {
            return null;
        }
        byte[] whole = new byte[p.total];
        for (Fragment f : p.fragments) {
            int n = Math.min(f.data().length, p.total - f.offset());
            if (n > 0) {
                System.arraycopy(f.data(), 0, whole, f.offset(), n);
            }
        }
        return whole;
    }
}
