package io.hepstack.proto.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Every leak report Netty's {@link ResourceLeakDetector} makes in this JVM, kept so that a test can fail on
 * it (see {@link FailOnNettyLeak}). Netty only logs a leak; the detectors made here also record it.
 *
 * <p>{@link #install} must run before Netty creates its first detector (the one of {@code AbstractByteBuf}
 * is created when that class initialises): the JUnit launcher session listener {@link NettyLeakDetection}
 * calls it before any test class is loaded. Detection itself is lazy: a leaked buffer is reported only after
 * the garbage collector has found it and the next buffer is tracked, which {@link #collect} forces.
 */
public final class NettyLeaks {

    private static final List<String> REPORTS = new ArrayList<>();
    private static volatile boolean installed;

    private NettyLeaks() {
    }

    /** Makes every detector Netty creates from now on record its reports here. Idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        installed = true;
    }

    /** Whether {@link #install} ran (a leak can only fail a test if it did). */
    public static boolean installed() {
        return installed;
    }

    /** How many leaks were reported so far. */
    public static synchronized int count() {
        return REPORTS.size();
    }

    /** The reports made since {@code count} was {@code from}. */
    public static synchronized List<String> since(int from) {
        return List.copyOf(REPORTS.subList(Math.min(from, REPORTS.size()), REPORTS.size()));
    }

    /**
     * Removes and returns the reports made since {@code count} was {@code from}: for a test that leaks on purpose
     * (they were expected, so no test fails for them).
     */
    public static synchronized List<String> take(int from) {
        List<String> taken = since(from);
        REPORTS.subList(Math.min(from, REPORTS.size()), REPORTS.size()).clear();
        return taken;
    }

    /**
     * Lets the garbage collector find buffers that are no longer referenced and makes the byte-buffer detector
     * report them now: after a collection, the next tracked allocation polls the detector's queue.
     */
    public static void collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20); // the reference handler thread enqueues what the collection found
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
        }
    }

    static synchronized void record(String resourceType, String records) {
        REPORTS.add("LEAK of " + resourceType + (records.isEmpty() ? "" : ":\n" + records));
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
            detector.setLeakListener(NettyLeaks::record);
            return detector;
        }
    }
}
