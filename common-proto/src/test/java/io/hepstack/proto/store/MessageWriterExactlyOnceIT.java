package io.hepstack.proto.store;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.store.testing.TestDatabase;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hepstack.proto.store.Fixtures.NOW;
import static io.hepstack.proto.store.Fixtures.count;
import static io.hepstack.proto.store.Fixtures.invite;
import static org.assertj.core.api.Assertions.assertThat;

/** A batch id is stored exactly once, whatever happens to the acknowledgement or to the bisection. */
class MessageWriterExactlyOnceIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    private final TestClock clock = new TestClock(NOW);
    private final PartitionPolicy policy = Fixtures.hourly();

    @BeforeEach
    void emptyTables() throws Exception {
        try (java.sql.Connection c = db.openJdbc()) {
            Fixtures.reset(c);
        }
    }

    private MessageWriter writer(ConnectionFactory connections) {
        return new MessageWriter(connections, policy, clock);
    }

    private static List<CapturedMessage> batch(int size, int... badPortRows) {
        List<CapturedMessage> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Fixtures.Builder b = invite(i, NOW.minusMillis(i));
            for (int bad : badPortRows) {
                if (bad == i) {
                    b.ports(70_000, 5060); // violates messages_ports_in_range
                }
            }
            rows.add(b.build());
        }
        return rows;
    }

    private static long stored() throws Exception {
        try (java.sql.Connection c = db.openJdbc()) {
            return count(c, "SELECT count(*) FROM messages");
        }
    }

    private static long storedTwice() throws Exception {
        try (java.sql.Connection c = db.openJdbc()) {
            return count(c, "SELECT count(*) FROM (SELECT capture_id FROM messages GROUP BY 1 HAVING count(*) > 1) d");
        }
    }

    private static long ledger() throws Exception {
        try (java.sql.Connection c = db.openJdbc()) {
            return count(c, "SELECT count(*) FROM ingest_batches");
        }
    }

    @Test
    void storesABatchIdWrittenTwiceOnceAndSaysSoTheSecondTime() throws Exception {
        MessageWriter writer = writer(db.connectionFactory());
        UUID id = UUID.randomUUID();
        List<CapturedMessage> rows = batch(25);

        StepVerifier.create(writer.write(id, rows))
                .expectNext(new WriteResult(25, List.of(), false))
                .verifyComplete();
        StepVerifier.create(writer.write(id, rows))
                .expectNext(new WriteResult(25, List.of(), true))
                .verifyComplete();
        // another writer (another replica, a restarted collector) knows it too
        StepVerifier.create(writer(db.connectionFactory()).write(id, rows))
                .assertNext(r -> assertThat(r.alreadyStored()).isTrue())
                .verifyComplete();

        assertThat(stored()).isEqualTo(25);
        assertThat(ledger()).isEqualTo(1);
        try (java.sql.Connection c = db.openJdbc(); PreparedStatement ps =
                c.prepareStatement("SELECT rows, stored_at = ?::timestamptz FROM ingest_batches WHERE batch_id = ?")) {
            ps.setString(1, NOW.toString());
            ps.setObject(2, id);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(25);
                assertThat(rs.getBoolean(2)).as("stored_at is the writer's clock").isTrue();
            }
        }
    }

    @Test
    void storesABatchOnceWhenTheCommitAcknowledgementIsLostAndTheBatchIsRetried() throws Exception {
        AtomicInteger commitsToLose = new AtomicInteger(1);
        MessageWriter writer = writer(new FaultyConnections(unpooled(), commitsToLose, new AtomicInteger(-1)));
        UUID id = UUID.randomUUID();
        List<CapturedMessage> rows = batch(40);

        StepVerifier.create(writer.write(id, rows))
                .expectErrorMatches(e -> e.getMessage().contains("acknowledgement lost"))
                .verify();
        assertThat(stored()).as("the commit went through").isEqualTo(40);

        StepVerifier.create(writer.write(id, rows))
                .expectNext(new WriteResult(40, List.of(), true))
                .verifyComplete();
        assertThat(stored()).isEqualTo(40);
        assertThat(storedTwice()).isZero();
    }

    @Test
    void retriesABatchWithRefusedRowsAfterALostAcknowledgementStoringTheGoodRowsOnceAndReportingTheBadOnes()
            throws Exception {
        AtomicInteger commitsToLose = new AtomicInteger(1);
        MessageWriter writer = writer(new FaultyConnections(unpooled(), commitsToLose, new AtomicInteger(-1)));
        UUID id = UUID.randomUUID();
        List<CapturedMessage> rows = batch(40, 3, 29);

        StepVerifier.create(writer.write(id, rows)).expectError().verify();
        StepVerifier.create(writer.write(id, rows))
                .assertNext(r -> {
                    assertThat(r.alreadyStored()).isTrue();
                    assertThat(r.stored()).isEqualTo(38);
                    assertThat(r.rejected()).extracting(x -> x.message().envelope().captureId()).containsExactly(3L, 29L);
                    assertThat(r.rejected()).allSatisfy(x -> {
                        assertThat(x.sqlState()).isEqualTo("23514");
                        assertThat(x.error()).contains("messages_ports_in_range");
                        assertThat(rows).contains(x.message());
                    });
                })
                .verifyComplete();
        assertThat(stored()).isEqualTo(38);
        assertThat(storedTwice()).isZero();
    }

    @Test
    void storesNothingOfABatchWhoseBisectionFailsHalfwayThenEveryGoodRowOnceOnRetry() throws Exception {
        // the second savepoint release fails: halves already copied must not stay committed
        AtomicInteger releasesBeforeFailure = new AtomicInteger(2);
        MessageWriter faulty = writer(new FaultyConnections(db.connectionFactory(), new AtomicInteger(0),
                releasesBeforeFailure));
        UUID id = UUID.randomUUID();
        List<CapturedMessage> rows = batch(40, 30);

        StepVerifier.create(faulty.write(id, rows))
                .expectErrorMatches(e -> e.getMessage().contains("connection lost during bisection"))
                .verify();
        assertThat(stored()).as("all or nothing").isZero();
        assertThat(ledger()).isZero();

        StepVerifier.create(writer(db.connectionFactory()).write(id, rows))
                .assertNext(r -> {
                    assertThat(r.alreadyStored()).isFalse();
                    assertThat(r.stored()).isEqualTo(39);
                    assertThat(r.rejected()).extracting(x -> x.message().envelope().captureId()).containsExactly(30L);
                })
                .verifyComplete();
        assertThat(stored()).isEqualTo(39);
        assertThat(storedTwice()).isZero();
    }

    @Test
    void storesABatchOnceWhenTwoWritersRaceWithTheSameId() throws Exception {
        UUID id = UUID.randomUUID();
        List<CapturedMessage> rows = batch(2000);
        List<Mono<WriteResult>> writes = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writes.add(writer(db.connectionFactory()).write(id, rows).subscribeOn(Schedulers.parallel()));
        }

        List<WriteResult> results = Flux.merge(writes).collectList().block();

        assertThat(results).hasSize(4);
        assertThat(results).filteredOn(r -> !r.alreadyStored()).hasSize(1);
        assertThat(results).allSatisfy(r -> assertThat(r.stored()).isEqualTo(2000));
        assertThat(stored()).isEqualTo(2000);
    }

    /** Connections that do not pool: the lost-acknowledgement test kills its backend. */
    private static ConnectionFactory unpooled() {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(db.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, db.user());
        if (db.password() != null) {
            options.option(ConnectionFactoryOptions.PASSWORD, db.password());
        }
        return ConnectionFactories.get(options.build());
    }

    /**
     * Connections that lose the acknowledgement of the next {@code commitsToLose} commits (the commit
     * is done, then the backend is terminated with {@code pg_terminate_backend} and an error raised),
     * and fail the savepoint release numbered {@code releasesBeforeFailure} (counting from 1).
     */
    private record FaultyConnections(ConnectionFactory delegate, AtomicInteger commitsToLose,
                                     AtomicInteger releasesBeforeFailure) implements ConnectionFactory {

        @Override
        public Publisher<? extends Connection> create() {
            return Mono.from(delegate.create()).map(this::faulty);
        }

        @Override
        public ConnectionFactoryMetadata getMetadata() {
            return delegate.getMetadata();
        }

        private Connection faulty(Connection c) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class, Wrapped.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "unwrap":
                                return c;
                            case "commitTransaction":
                                if (commitsToLose.getAndDecrement() > 0) {
                                    return commitThenDie(c);
                                }
                                break;
                            case "releaseSavepoint":
                                if (releasesBeforeFailure.decrementAndGet() == 0) {
                                    return Mono.error(new R2dbcNonTransientResourceException(
                                            "connection lost during bisection (simulated)"));
                                }
                                break;
                            default:
                                break;
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        private static Mono<Void> commitThenDie(Connection c) {
            return Flux.from(c.createStatement("SELECT pg_backend_pid()").execute())
                    .concatMap(r -> r.map((row, meta) -> row.get(0, Integer.class)))
                    .single()
                    .flatMap(pid -> Mono.from(c.commitTransaction()).then(Mono.fromCallable(() -> {
                        try (java.sql.Connection admin = db.openJdbc();
                             PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
                            ps.setInt(1, pid);
                            ps.execute();
                        }
                        return pid;
                    })))
                    .then(Mono.error(new R2dbcNonTransientResourceException("acknowledgement lost (simulated)")));
        }
    }
}
