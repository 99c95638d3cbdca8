import java.util.concurrent.locks.LockSupport;

/**
 * What a preloaded libfaketime costs a JVM (docs/testing.md, "The shifted clock costs almost nothing"):
 * nanoseconds per wall-clock and monotonic read, and how long a 1 ms timed wait and a 100 µs park
 * really last. Run it bare and under the shifted run's settings:
 * {@code java .ci/FaketimeCost.java} and
 * {@code LD_PRELOAD=.../libfaketime.so.1 FAKETIME=+1000s FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 java .ci/FaketimeCost.java}.
 */
public class FaketimeCost {
    public static void main(String[] args) throws InterruptedException {
        int reads = 5_000_000;
        int waits = 2_000;
        long sum = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            sum += System.currentTimeMillis();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            sum += System.nanoTime();
        }
        long t2 = System.nanoTime();
        Object lock = new Object();
        synchronized (lock) {
            for (int i = 0; i < waits; i++) {
                lock.wait(0, 100_000); // the JVM rounds this up to 1 ms
            }
        }
        long t3 = System.nanoTime();
        for (int i = 0; i < waits; i++) {
            LockSupport.parkNanos(100_000);
        }
        long t4 = System.nanoTime();
        System.out.printf("currentTimeMillis %.1f ns, nanoTime %.1f ns, 1 ms wait %.1f us, 100 us park %.1f us (%d)%n",
                (t1 - t0) / (double) reads, (t2 - t1) / (double) reads, (t3 - t2) / 1e3 / waits,
                (t4 - t3) / 1e3 / waits, sum & 1);
    }
}
