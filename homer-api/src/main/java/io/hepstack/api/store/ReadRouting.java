package io.hepstack.api.store;

import io.hepstack.api.web.DatabaseUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.connection.lookup.AbstractRoutingConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Where the API's statements go: to the primary ({@code spring.r2dbc}) unless the subscriber's context
 * routes them to the read configuration ({@link ReadProperties}): {@link #reads(Mono)}. So writes (accounts,
 * tokens, shares, aliases, tenants, alerts) and anything not routed reach the primary, whatever the URLs.
 * Without a read configuration both routes are the primary.
 */
public final class ReadRouting implements AutoCloseable {

    private static final String KEY = ReadRouting.class.getName();
    /** In the context of a request that only reads captured traffic ({@link ReadRequestFilter}), before authentication. */
    private static final String READ_REQUEST = KEY + ".readRequest";

    private enum Route { PRIMARY, READS }

    private final boolean separate;
    private final ConnectionFactory reads;
    private final AbstractRoutingConnectionFactory connections;
    private final Counter fallbacks;
    private final Counter authenticationsOnReads;

    /**
     * @param reads the read configuration's pool, closed with this; {@code primary} itself when reads have
     *              no configuration of their own
     */
    ReadRouting(ConnectionFactory primary, ConnectionFactory reads, MeterRegistry meters) {
        this.separate = reads != primary;
        this.reads = reads;
        this.connections = new AbstractRoutingConnectionFactory() {
            @Override
            protected Mono<Object> determineCurrentLookupKey() {
                return Mono.deferContextual(c -> Mono.justOrEmpty(c.getOrEmpty(KEY)));
            }
        };
        connections.setTargetConnectionFactories(Map.of(Route.PRIMARY, primary, Route.READS, reads));
        connections.setDefaultTargetConnectionFactory(primary);
        connections.afterPropertiesSet();
        this.fallbacks = Counter.builder("homer.api.reads.fallback")
                .description("reads not found on the read configuration (a lagging standby) and asked again on the primary")
                .register(meters);
        this.authenticationsOnReads = Counter.builder("homer.api.auth.on.reads")
                .description("authentications of reads of captured traffic checked on the read configuration because the "
                        + "primary could not be reached (a failover)")
                .register(meters);
    }

    /** Whether reads have a configuration of their own ({@code homer.api.read.url}). */
    public boolean separate() {
        return separate;
    }

    /** The connections of every statement: the route of the subscriber's context, else the primary. */
    public ConnectionFactory connections() {
        return connections;
    }

    /** The statements of {@code work} go to the read configuration. */
    public static <T> Mono<T> reads(Mono<T> work) {
        return work.contextWrite(Context.of(KEY, Route.READS));
    }

    /** The statements of {@code work} go to the read configuration. */
    public static <T> Flux<T> reads(Flux<T> work) {
        return work.contextWrite(Context.of(KEY, Route.READS));
    }

    /** The statements of {@code work} go to the primary, even inside a read. */
    public static <T> Mono<T> primary(Mono<T> work) {
        return work.contextWrite(Context.of(KEY, Route.PRIMARY));
    }

    /**
     * {@code read} as routed, asked again on the primary when it fails with {@code notFound} and reads have a
     * configuration of their own: what a standby has not replayed yet (a call younger than its lag) is on the
     * primary. {@code read} must be cold (built when subscribed). Counted in {@code homer.api.reads.fallback}.
     */
    public <T> Mono<T> orOnPrimary(Mono<T> read, Predicate<Throwable> notFound) {
        if (!separate) {
            return read;
        }
        return read.onErrorResume(notFound, e -> {
            fallbacks.increment();
            return primary(read);
        });
    }

    /** {@link #orOnPrimary} of a read that fails with the API's {@code 404} when it finds nothing. */
    public <T> Mono<T> orOnPrimaryIfNotFound(Mono<T> read) {
        return orOnPrimary(read, e -> e instanceof io.hepstack.api.web.ApiException a
                && a.status() == org.springframework.http.HttpStatus.NOT_FOUND);
    }

    /** Marks {@code work} as serving a request that only reads captured traffic (see {@link #authentication}). */
    static <T> Mono<T> readRequest(Mono<T> work) {
        return work.contextWrite(Context.of(READ_REQUEST, Boolean.TRUE));
    }

    /**
     * An authentication's lookup (an account's session, an API token; {@code lookup} cold): on the primary, so that a
     * session or token just made, ended or revoked counts at once. When the primary cannot be reached
     * ({@link DatabaseUnavailable#isUnreachable}: while no node is primary in a failover), the request only reads
     * captured traffic ({@link ReadRequestFilter}) and reads have a configuration of their own, the lookup is asked
     * again there, so that searches keep answering through the switch; counted in {@code homer.api.auth.on.reads}.
     * The price, for those reads and while the primary is lost: a session ended or a token revoked within the
     * standby's replay lag before is still accepted (with synchronous replication, none).
     */
    public <T> Mono<T> authentication(Mono<T> lookup) {
        Mono<T> onPrimary = primary(lookup);
        if (!separate) {
            return onPrimary;
        }
        return Mono.deferContextual(c -> c.hasKey(READ_REQUEST)
                ? onPrimary.onErrorResume(DatabaseUnavailable::isUnreachable, e -> {
                    authenticationsOnReads.increment();
                    return reads(lookup);
                })
                : onPrimary);
    }

    /** Closes the read configuration's pool. */
    @Override
    public void close() {
        if (separate && reads instanceof io.r2dbc.pool.ConnectionPool pool) {
            pool.dispose();
        }
    }
}
