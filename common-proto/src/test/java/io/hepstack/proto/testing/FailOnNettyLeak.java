package io.hepstack.proto.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test during which Netty reported a leaked buffer (tests run with
 * {@code -Dio.netty.leakDetection.level=paranoid}), and a test class after whose tests a garbage collection
 * still finds one. Registered for every test through JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled}, set in the build for surefire and failsafe).
 *
 * <p>A leak is found when its buffer is collected, so one made by a test may be reported during a later test
 * of the class, or at the class's end: the report's access records name the code that last held it.
 */
public final class FailOnNettyLeak implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FailOnNettyLeak.class);
    private static final String MARK = "leaks-before";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!NettyLeaks.installed()) {
            throw new IllegalStateException("Netty leak detection is not recording: "
                    + NettyLeakDetection.class.getName() + " did not run (is junit-platform-launcher on the class path?)");
        }
        context.getStore(NAMESPACE).put(MARK, NettyLeaks.count());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(MARK, NettyLeaks.count());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            failOnNew(context, "during this test");
        } finally {
            // what this test was failed for is not reported again at the class's end
            classContext(context).getStore(NAMESPACE).put(MARK, NettyLeaks.count());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        NettyLeaks.collect();
        failOnNew(context, "after the tests of this class (found by a garbage collection at its end)");
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static void failOnNew(ExtensionContext context, String when) {
        Integer before = context.getStore(NAMESPACE).get(MARK, Integer.class);
        List<String> leaks = NettyLeaks.since(before == null ? 0 : before);
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) " + when + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
