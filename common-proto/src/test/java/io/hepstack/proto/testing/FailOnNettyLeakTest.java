package io.hepstack.proto.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

class FailOnNettyLeakTest {

    @Test
    void aTestDuringWhichABufferLeaksFailsAndItsNeighbourPasses() {
        // every buffer tracked for this test, whatever level the run samples at (the shifted-clock run: advanced)
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            leakingFailsAndItsNeighbourPasses();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void leakingFailsAndItsNeighbourPasses() {
        int before = NettyLeaks.count();
        var events = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(Leaking.class))
                .execute().testEvents();
        List<String> reports = NettyLeaks.take(before); // the leak was made on purpose
        events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("leaksABuffer"),
                finishedWithFailure(message(m -> m.startsWith("Netty reported 1 leaked buffer(s) during this test")))));
        assertThat(reports).singleElement().asString().startsWith("LEAK of ").contains("leaksABuffer");
        assertThat(events.succeeded().stream().map(Event::getTestDescriptor).map(d -> d.getDisplayName()))
                .containsExactly("releasesItsBuffer()");
    }

    /** Run by the test above only (surefire does not run nested classes). */
    static class Leaking {

        @Test
        void leaksABuffer() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
            buffer.writeLong(42);
            buffer = null; // unreachable without release()
            NettyLeaks.collect();
        }

        @Test
        void releasesItsBuffer() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
            buffer.writeLong(42);
            buffer.release();
            NettyLeaks.collect();
        }
    }
}
