package io.hepstack.ingest.peers;

/**
 * Work that a peer test class does once for all its tests (calls placed through the peers), from the first test's
 * {@code @BeforeEach} so that it may use the injected collector: each later test rethrows its first failure instead
 * of placing the calls again.
 */
final class OncePerClass {

    /** The work, which may throw anything a test may. */
    interface Work {
        void run() throws Throwable;
    }

    private boolean done;
    private Throwable failure;

    /** Runs {@code work} the first time; later, fails as it did, or does nothing. */
    void run(Work work) throws Throwable {
        if (done) {
            if (failure != null) {
                throw new AssertionError("the calls failed (see the first test)", failure);
            }
            return;
        }
        done = true;
        try {
            work.run();
        } catch (Throwable t) {
            failure = t;
            throw t;
        }
    }
}
