package io.hepstack.api.query;

import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.proto.testing.NettyLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that leaves while its query's rows are still arriving: a browser tab closed during a search (the UI
 * aborts the fetches of a page it leaves), a live stream ended mid-poll. Every pooled connection must stay
 * usable. With r2dbc-postgresql 1.0.9 (Spring Boot 3.5's) this failed within a few rounds: a connection stopped
 * answering. The driver still leaks rows it buffered for a slow reader that leaves (so every statement's rows are
 * read whole, {@code collectList}, never streamed to a client), and now and then a row cancelled in flight.
 */
class CancelledQueryIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    /** About 3 MB of rows: far more than the driver reads ahead (256 messages), so rows are in flight at any cancel. */
    private static final String MANY_ROWS = "SELECT g, repeat('x', 1000) AS t FROM generate_series(1, 3000) g";

    @Test
    void aClientLeavingWhileRowsArriveLeavesNoConnectionStuck() throws InterruptedException {
        DatabaseClient client = DatabaseClient.create(db.connectionFactory());
        int leaksBefore = NettyLeaks.count();
        for (int round = 0; round < 20; round++) {
            // left from another thread while rows arrive (what a closed tab does to a request collecting its rows)
            Disposable reading = rows(client).collectList().subscribe();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 8));
            reading.dispose();
            // left on the event loop after a few rows
            assertThat(rows(client).take(3).collectList().block(Duration.ofSeconds(20))).hasSize(3);
            // every connection of the pool still answers a whole query
            assertThat(Flux.range(0, 8).flatMap(i -> client.sql(MANY_ROWS).map(r -> 1).all().count())
                    .collectList().block(Duration.ofSeconds(20)))
                    .as("round %d: every pooled connection answers", round).containsOnly(3000L);
        }
        // r2dbc-postgresql 1.1.3 still leaks, now and then, the buffer of a row that arrived as its statement was
        // cancelled (1 report in one CI run of 2026-12-06; none in the others). That is the driver's, provoked on
        // purpose here: taken, counted on stderr, not failed, so that it is not reported against a later test.
        NettyLeaks.collect();
        Thread.sleep(100);
        NettyLeaks.collect();
        List<String> leaks = NettyLeaks.take(leaksBefore);
        System.err.println("CancelledQueryIT: " + leaks.size() + " leak reports of the driver's cancelled rows (20 rounds)");
    }

    private static Flux<String> rows(DatabaseClient client) {
        return client.sql(MANY_ROWS).map(r -> r.get("t", String.class)).all();
    }

}
