package io.hepstack.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Recognises a packet seen before within a window of arrival time, by capture id and payload bytes
 * (several agents capturing the same traffic, or an agent mirroring a message twice). The key is a
 * 64-bit hash of capture id and payload: two different payloads are taken for duplicates only on a
 * hash collision, with probability about {@code entries / 2^64} per packet (10^-14 at 100,000 entries).
 *
 * <p>Thread-safe: entries live in independently locked stripes chosen by the key, so listener threads
 * rarely contend; each stripe holds at most its share of {@code max-entries}, the oldest evicted first.
 */
final class DuplicateFilter {

    private static final int STRIPES = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long windowNanos;
    private final int perStripe;
    private final LongSupplier nanoTime;
    private final Stripe[] stripes = new Stripe[STRIPES];

    DuplicateFilter(Duration window, int maxEntries, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.perStripe = Math.max(1, maxEntries / STRIPES);
        this.nanoTime = nanoTime;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Whether the same payload from the same capture id arrived within the window before (it is then remembered). */
    boolean isDuplicate(long captureId, byte[] payload) {
        long key = key(captureId, payload);
        long now = nanoTime.getAsLong();
        Stripe s = stripes[(int) (key >>> 60) & (STRIPES - 1)];
        synchronized (s) {
            s.expire(now - windowNanos);
            Long seen = s.get(key);
            if (seen != null) {
                return true; // the window counts from the first sighting: a copy does not extend it
            }
            s.put(key, now);
            if (s.size() > perStripe) {
                Iterator<Long> eldest = s.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            return false;
        }
    }

    /** Entries remembered (tests and metrics). */
    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    /** A 64-bit hash of capture id and payload: 8 bytes a step, murmur3's finaliser. */
    static long key(long captureId, byte[] payload) {
        long h = 0x9E3779B97F4A7C15L ^ (captureId * 0xC2B2AE3D27D4EB4FL) ^ payload.length;
        int i = 0;
        for (; i + 8 <= payload.length; i += 8) {
            h = Long.rotateLeft(h ^ mix((long) LONGS.get(payload, i)), 27) * 0x9E3779B97F4A7C15L + 0x52DCE729;
        }
        long tail = 0;
        for (int shift = 0; i < payload.length; i++, shift += 8) {
            tail |= (payload[i] & 0xFFL) << shift;
        }
        return mix(h ^ mix(tail));
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        return k ^ (k >>> 33);
    }

    /** Keys in arrival order with their arrival time. */
    private static final class Stripe extends LinkedHashMap<Long, Long> {

        void expire(long before) {
            Iterator<Map.Entry<Long, Long>> it = entrySet().iterator();
            while (it.hasNext() && it.next().getValue() - before < 0) {
                it.remove();
            }
        }
    }
}
