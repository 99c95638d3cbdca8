package io.hepstack.api.stream;

import io.hepstack.api.query.Statements;
import io.hepstack.api.query.Filter;
import io.hepstack.api.search.MessageItem;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.auth.Role;
import io.hepstack.api.query.Scope;
import io.hepstack.api.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live streams of this replica: opens them within the per-replica cap, polls the message store
 * for each ({@link LiveQuery}), and ends them on client disconnect, on a client too slow to read
 * (bounded buffer), on a database error, and at shutdown (before the web server's graceful
 * shutdown waits for open requests). Counters: {@code homer.api.stream.refused} (cap reached),
 * {@code homer.api.stream.closed{reason}} ({@code client_gone}, {@code slow_client}, {@code shutdown},
 * {@code error}), {@code homer.api.stream.forgotten} (ids dropped from the de-dup set above its bound);
 * gauge {@code homer.api.stream.open}.
 */
@Component
class LiveStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);

    /** Why a stream ended, as the {@code reason} tag of {@code homer.api.stream.closed}. */
    enum Reason {
        CLIENT_GONE, SLOW_CLIENT, SHUTDOWN, ERROR;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The first comment of a stream: from here on, every stored matching row is streamed. */
    static final ServerSentEvent<MessageItem> OPENED = ServerSentEvent.<MessageItem>builder().comment("open").build();

    private final DatabaseClient db;
    private final StreamProperties props;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    /** Open streams per principal name; guarded by this. */
    private final Map<String, Integer> perUser = new java.util.HashMap<>();
    private static final Duration RETRY = Duration.ofSeconds(10);
    /** Completed at shutdown; a new one at every start. */
    private volatile Sinks.Empty<Void> shutdown = Sinks.empty();
    private final Counter refused;
    private final Counter forgotten;
    private final Map<Reason, Counter> closed = new java.util.EnumMap<>(Reason.class);
    private volatile boolean running;

    LiveStreams(DatabaseClient db, StreamProperties props, MeterRegistry meters) {
        this.db = db;
        this.props = props;
        this.clock = Clock.systemUTC();
        this.refused = Counter.builder("homer.api.stream.refused")
                .description("live streams refused because the replica's cap was reached").register(meters);
        this.forgotten = Counter.builder("homer.api.stream.forgotten")
                .description("streamed row ids dropped from a stream's de-dup set above homer.api.stream.max-pending")
                .register(meters);
        for (Reason r : Reason.values()) {
            closed.put(r, Counter.builder("homer.api.stream.closed").tag("reason", r.tag())
                    .description("live streams ended, by reason").register(meters));
        }
        meters.gauge("homer.api.stream.open", open);
    }

    /** Streams currently open. */
    int open() {
        return open.get();
    }

    /**
     * The events of a new stream: {@code message} events of rows stored from now on that match
     * {@code filters} within {@code scope} (from just after row {@code resumeAfter} when a client resumes), and heartbeat
     * comments. Refused with 429 when the caller's own streams or the replica's are all taken (checked at subscription).
     */
    Flux<ServerSentEvent<MessageItem>> stream(List<Filter> filters, ApiPrincipal principal, Long resumeAfter) {
        return Flux.defer(() -> {
            if (!running) {
                return Flux.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "shutting down"));
            }
            ApiException refusal = take(principal);
            if (refusal != null) {
                refused.increment();
                return Flux.error(refusal);
            }
            Flux<ServerSentEvent<MessageItem>> messages = start(filters, principal.scope(), resumeAfter)
                    .flatMapMany(q -> Flux.concat(Mono.just(OPENED), poll(q)
                            .map(item -> ServerSentEvent.builder(item).id(item.id()).event("message").build())));
            return bounded(messages, props.buffer(), props.heartbeat(), shutdown.asMono(), r -> {
                give(principal);
                closed.get(r).increment();
            });
        });
    }

    /**
     * Takes a slot for {@code principal}'s new stream, or says why there is none: the caller's own streams
     * ({@code max-streams-per-user}), then the replica's ({@code max-streams}, of which {@code admin-reserve}
     * only for admins).
     */
    private synchronized ApiException take(ApiPrincipal principal) {
        int mine = perUser.getOrDefault(principal.name(), 0);
        if (mine >= props.maxStreamsPerUser()) {
            return ApiException.tooManyRequests("too many live streams of yours on this replica (" + props.maxStreamsPerUser()
                    + "): close one (another tab or window) or retry later", RETRY);
        }
        int cap = principal.role() == Role.ADMIN ? props.maxStreams() : props.maxStreamsForNonAdmins();
        if (open.get() >= cap) {
            return ApiException.tooManyRequests("too many live streams on this replica (" + props.maxStreams()
                    + "): close one or retry later", RETRY);
        }
        open.incrementAndGet();
        perUser.merge(principal.name(), 1, Integer::sum);
        return null;
    }

    private synchronized void give(ApiPrincipal principal) {
        open.decrementAndGet();
        perUser.computeIfPresent(principal.name(), (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * {@code messages} with heartbeats, through a buffer of {@code buffer} events: when the client reads
     * too slowly for it, the stream ends at once (reason {@code SLOW_CLIENT}) instead of growing memory.
     * A failing source ends it too ({@code ERROR}), as does {@code shutdown} ({@code SHUTDOWN}); a
     * cancellation is the client leaving ({@code CLIENT_GONE}). {@code ended} runs once, with the reason.
     */
    static <T> Flux<ServerSentEvent<T>> bounded(Flux<ServerSentEvent<T>> messages, int buffer, Duration heartbeat,
                                                Mono<Void> shutdown, java.util.function.Consumer<Reason> ended) {
        AtomicReference<Reason> reason = new AtomicReference<>();
        Sinks.Empty<Void> end = Sinks.empty();
        Flux<ServerSentEvent<T>> buffered = messages
                .onBackpressureBuffer(buffer, dropped -> {
                    reason.compareAndSet(null, Reason.SLOW_CLIENT);
                    end.tryEmitEmpty();
                }, BufferOverflowStrategy.DROP_LATEST)
                .onErrorResume(e -> {
                    reason.compareAndSet(null, Reason.ERROR);
                    log.warn("live stream ended by a storage error: {}", e.toString());
                    end.tryEmitEmpty();
                    return Flux.empty();
                });
        Flux<ServerSentEvent<T>> heartbeats = Flux.interval(heartbeat)
                .onBackpressureDrop()
                .map(n -> ServerSentEvent.<T>builder().comment("heartbeat").build());
        return Flux.merge(buffered, heartbeats)
                .takeUntilOther(end.asMono())
                .takeUntilOther(shutdown.doOnTerminate(() -> reason.compareAndSet(null, Reason.SHUTDOWN)))
                .doFinally(signal -> ended.accept(reason.get() != null ? reason.get() : Reason.CLIENT_GONE));
    }

    /** The stream's starting point: after {@code resumeAfter}, or now (rows present now are skipped). */
    private Mono<LiveQuery> start(List<Filter> filters, Scope scope, Long resumeAfter) {
        long lookback = props.lookback().toMillis();
        if (resumeAfter != null) {
            return Mono.just(new LiveQuery(filters, scope, resumeAfter, lookback, props.rowsPerPoll(), props.maxPending()));
        }
        return top().flatMap(now -> {
            // transactions in flight now may still commit rows with ids up to `now`: the stream looks
            // at the last maxPending ids too, skipping the matching rows already stored
            long floor = Math.max(0, now - props.maxPending());
            LiveQuery probe = new LiveQuery(filters, scope, floor, lookback, props.rowsPerPoll(), props.maxPending());
            return Statements.whole(Statements.on(probe.presentSql(oldestCapture(), now), db).map(r -> r.get("id", Long.class)).all()
                            .collectList())
                    .map(present -> {
                        // present is newest first; when it is full, older ids are not known: start above them
                        long start = present.size() >= props.maxPending() ? present.get(present.size() - 1) - 1 : floor;
                        LiveQuery q = new LiveQuery(filters, scope, start, lookback, props.rowsPerPoll(), props.maxPending());
                        q.skip(present);
                        q.mark(clock.millis(), now);
                        return q;
                    });
        });
    }

    /** Polls until cancelled: each round reads the highest visible id, then the rows; no pause after a full poll. */
    private Flux<MessageItem> poll(LiveQuery q) {
        AtomicReference<Boolean> full = new AtomicReference<>(false);
        Mono<List<MessageItem>> round = Mono.defer(() -> top().flatMap(top -> {
            long now = clock.millis();
            return Statements.whole(Statements.on(q.pollSql(oldestCapture()), db)
                            .map(r -> new LiveQuery.Row(r.get("id", Long.class), MessageItem.of(r))).all().collectList())
                    .map(rows -> {
                        full.set(rows.size() >= props.rowsPerPoll());
                        List<MessageItem> items = q.accept(rows);
                        q.mark(now, top);
                        long n = q.takeForgotten();
                        if (n > 0) {
                            forgotten.increment(n);
                        }
                        return items;
                    });
        }));
        return round.repeatWhen(rounds -> rounds.concatMap(n -> Mono.delay(full.get() ? Duration.ofMillis(1) : props.pollInterval())))
                .concatMapIterable(items -> items);
    }

    /**
     * The stream's mark ({@link LiveQuery#topSql}), on the node its reads are routed to (a standby with a read
     * configuration): the polls and the mark see the same rows, so a stream follows a standby at its replay lag.
     */
    private Mono<Long> top() {
        return Statements.whole(Statements.on(LiveQuery.topSql(oldestCapture()), db).map(r -> r.get("v", Long.class)).one());
    }

    private Instant oldestCapture() {
        return clock.instant().minus(props.maxCaptureAge());
    }

    @Override
    public void start() {
        shutdown = Sinks.empty();
        running = true;
    }

    /** Ends every stream, before the web server's graceful shutdown starts waiting for open requests. */
    @Override
    public void stop() {
        running = false;
        shutdown.tryEmitEmpty();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE; // stops before WebServerGracefulShutdownLifecycle (a lower phase)
    }
}
