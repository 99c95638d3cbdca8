package io.hepstack.ingest.config;

import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.media.MediaThresholds;
import io.hepstack.proto.model.BodyCensor;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.sip.HeaderExtractor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the HEP collector, bound from {@code homer.ingest.*}. The database is configured with
 * the standard {@code spring.r2dbc.*} properties; the HTTP port (actuator) with {@code server.port}.
 * Every field has a default; {@code docs/ingest.md} documents each one.
 */
@Validated
@ConfigurationProperties("homer.ingest")
public record IngestProperties(
        @Valid @NotNull @DefaultValue Udp udp,
        @Valid @NotNull @DefaultValue Tcp tcp,
        @Valid @NotNull @DefaultValue Tls tls,
        @Valid @NotNull @DefaultValue Pipeline pipeline,
        @Valid @NotNull @DefaultValue Writer writer,
        @Valid @NotNull @DefaultValue Auth auth,
        @Valid @NotNull @DefaultValue Filter filter,
        @Valid @NotNull @DefaultValue Dedup dedup,
        @Valid @NotNull @DefaultValue Privacy privacy,
        @Valid @NotNull @DefaultValue Forward forward,
        @Valid @NotNull @DefaultValue Extraction extraction,
        @Valid @NotNull @DefaultValue Kpi kpi,
        @Valid @NotNull @DefaultValue Security security,
        @Valid @NotNull @DefaultValue Storage storage,
        @Valid @NotNull @DefaultValue Calls calls,
        @Valid @NotNull @DefaultValue Metrics metrics,
        @NotNull @DefaultValue("30s") Duration shutdownTimeout,
        @NotNull @DefaultValue("300ms") Duration shutdownQuiet,
        @NotNull @DefaultValue("5s") Duration shutdownDrain) {

    /** HEP over UDP: one packet per datagram; overflow is dropped and counted. */
    public record Udp(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("0.0.0.0") String host,
            @Min(0) @Max(65535) @DefaultValue("9060") int port,
            /** Sockets bound to the same port with SO_REUSEPORT (native epoll only; else 1). */
            @Min(1) @Max(64) @DefaultValue("1") int sockets,
            /** SO_RCVBUF requested; the kernel may grant less (net.core.rmem_max), the granted value is logged. */
            @NotNull @DataSizeUnit(DataUnit.BYTES) @DefaultValue("32MB") DataSize receiveBuffer) {
    }

    /** HEP over TCP: packets back to back; a full queue pauses reading instead of dropping. */
    public record Tcp(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("0.0.0.0") String host,
            @Min(0) @Max(65535) @DefaultValue("9060") int port,
            /** Largest frame accepted; a larger length field closes the connection. */
            @Min(64) @Max(65535) @DefaultValue("65535") int maxFrameBytes,
            /** A connection that sends nothing for this long is closed (not while paused by backpressure). */
            @NotNull @DefaultValue("5m") Duration idleTimeout,
            @Min(1) @DefaultValue("1024") int maxConnections,
            /** Connections one source address may hold, TCP and TLS together (behind a balancer: the balancer's). */
            @Min(1) @DefaultValue("256") int maxConnectionsPerSource,
            /** A connection that has not delivered one HEP frame this long after it opened is closed; 0 disables. */
            @NotNull @DefaultValue("30s") Duration firstFrameTimeout) {
    }

    /** HEP over TLS: as TCP, with a server certificate and optional client-certificate authentication. */
    public record Tls(
            @DefaultValue("false") boolean enabled,
            @NotNull @DefaultValue("0.0.0.0") String host,
            @Min(0) @Max(65535) @DefaultValue("9061") int port,
            /** PEM certificate chain. */
            Path certificate,
            /** PEM private key (PKCS#8). */
            Path privateKey,
            /** PEM CA bundle trusted for client certificates; required when client-auth is not NONE. */
            Path trustedCertificates,
            @NotNull @DefaultValue("NONE") ClientAuth clientAuth) {

        @AssertTrue(message = "homer.ingest.tls needs certificate and private-key when enabled, "
                + "and trusted-certificates when client-auth is not NONE")
        boolean isComplete() {
            return !enabled || certificate != null && privateKey != null
                    && (clientAuth == ClientAuth.NONE || trustedCertificates != null);
        }
    }

    /** Client-certificate policy of the TLS listener. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    /** The queue between listeners and the batcher, and the batch shape. */
    public record Pipeline(
            /** Messages the queue holds; UDP beyond it is dropped and counted. */
            @Min(16) @DefaultValue("65536") int queueCapacity,
            /** TCP/TLS connections stop reading when the queue holds this many messages... */
            @Min(1) @DefaultValue("49152") int pauseAbove,
            /** ...and resume when it drains below this many. */
            @Min(0) @DefaultValue("16384") int resumeBelow,
            @Min(1) @Max(100000) @DefaultValue("1000") int batchSize,
            @NotNull @DefaultValue("200ms") Duration batchAge,
            /** The largest a gzip payload (HEP chunk 0x0010) may inflate to; beyond, rejected (payload_too_large). */
            @NotNull @DefaultValue("256KB") DataSize maxInflatedPayload) {

        @AssertTrue(message = "homer.ingest.pipeline needs resume-below < pause-above <= queue-capacity")
        boolean isOrdered() {
            return resumeBelow < pauseAbove && pauseAbove <= queueCapacity;
        }

        @AssertTrue(message = "homer.ingest.pipeline.max-inflated-payload must be from 1KB to 16MB")
        boolean isInflationBounded() {
            return maxInflatedPayload.toBytes() >= 1024 && maxInflatedPayload.toBytes() <= 16L << 20;
        }

        /** {@link #maxInflatedPayload} in bytes. */
        public int maxInflatedPayloadBytes() {
            return (int) maxInflatedPayload.toBytes();
        }
    }

    /** The storage writer: concurrency, and retry while the database is unreachable or does not answer. */
    public record Writer(
            /** Batches written at the same time. */
            @Min(1) @Max(16) @DefaultValue("2") int concurrency,
            /** Batches held (being written or waiting) before the batcher stops taking from the queue. */
            @Min(1) @DefaultValue("64") int bufferedBatches,
            @NotNull @DefaultValue("100ms") Duration retryInitialBackoff,
            @NotNull @DefaultValue("10s") Duration retryMaxBackoff,
            /** A write with no answer this long is abandoned and retried (same batch id) on another connection. */
            @NotNull @DefaultValue("30s") Duration attemptTimeout) {
    }

    /**
     * HEP authentication (chunk 0x000e). Off when no key is configured. With keys, a packet whose
     * capture id has a key (or, failing that, the default key) must carry exactly that key. In strict mode
     * ({@code strict: true}) every packet must carry the key of one of {@code agents}, and may use only that
     * agent's capture ids and node names (docs/operations.md, "Agent trust").
     */
    public record Auth(
            /** Key per capture id. */
            @NotNull @DefaultValue Map<Long, String> keys,
            /** Key for capture ids not listed in keys; unset: those are accepted without a key. */
            String defaultKey,
            /** Every packet needs an agent's key, and only that agent's capture ids and node names pass. */
            @DefaultValue("false") boolean strict,
            /** The agents of strict mode. */
            @Valid @NotNull @DefaultValue List<Agent> agents) {

        public boolean enabled() {
            return strict || !keys.isEmpty() || defaultKey != null;
        }

        @AssertTrue(message = "auth.strict: list the agents (auth.agents) and no keys or default-key (their keys go in the agents)")
        public boolean isStrictComplete() {
            return !strict || (!agents.isEmpty() && keys.isEmpty() && defaultKey == null);
        }

        @AssertTrue(message = "auth.agents: only with auth.strict: true")
        public boolean isAgentsStrict() {
            return strict || agents.isEmpty();
        }

        @Override
        public String toString() {
            return "Auth[" + keys.size() + " keys, defaultKey=" + (defaultKey == null ? "unset" : "set")
                    + ", strict=" + strict + ", " + agents.size() + " agents]";
        }
    }

    /**
     * A capture agent of strict mode: its key and what it may claim to be.
     *
     * @param name       for people and logs (never the key)
     * @param key        its HEP auth key (chunk 0x000e), at least 16 characters, unique among the agents
     * @param captureIds the capture ids (chunk 0x000c) it may send
     * @param nodes      the node names (chunk 0x0013) it may send; a packet without one is stored without one
     */
    public record Agent(@NotNull String name, @NotNull String key, @NotNull @DefaultValue List<Long> captureIds,
                        @NotNull @DefaultValue List<String> nodes) {

        @AssertTrue(message = "auth.agents[].key: at least 16 characters")
        public boolean isKeyLongEnough() {
            return key == null || key.length() >= 16;
        }

        @AssertTrue(message = "auth.agents[].capture-ids: at least one")
        public boolean isCapturing() {
            return captureIds != null && !captureIds.isEmpty();
        }

        @Override
        public String toString() {
            return "Agent[" + name + ", captureIds=" + captureIds + ", nodes=" + nodes + "]";
        }
    }

    /**
     * Who may read the actuator's metrics ({@code /actuator/prometheus}, {@code /actuator/metrics}, everything
     * but {@code /actuator/health}) on {@code server.port}: anyone when neither a bearer token nor a user name
     * and password is set (the default), else a request with {@code Authorization: Bearer <token>} or HTTP basic
     * with the user name and password (docs/operations.md, "Metrics access"). Never logged.
     */
    public record Metrics(String bearerToken, String username, String password) {

        public boolean protectedAccess() {
            return bearerToken != null || username != null;
        }

        @AssertTrue(message = "metrics.username and metrics.password: set both or neither")
        public boolean isBasicComplete() {
            return (username == null) == (password == null);
        }

        @AssertTrue(message = "metrics.bearer-token and metrics.password: at least 16 characters")
        public boolean isLongEnough() {
            return (bearerToken == null || bearerToken.length() >= 16) && (password == null || password.length() >= 16);
        }

        @Override
        public String toString() {
            return "Metrics[bearerToken=" + (bearerToken == null ? "unset" : "set") + ", username="
                    + (username == null ? "unset" : "set") + "]";
        }
    }

    /** What is accepted but deliberately not stored. */
    public record Filter(
            /** SIP methods (by CSeq method, so their replies too) never stored, e.g. OPTIONS. */
            @NotNull @DefaultValue List<String> discardMethods) {

        /** The discard rule these methods make, as every writer applies it. */
        public io.hepstack.proto.model.MethodFilter discard() {
            return io.hepstack.proto.model.MethodFilter.of(discardMethods);
        }
    }

    /**
     * Duplicate suppression: a packet with the same capture id and payload bytes as one that arrived
     * within the window is discarded ({@code hep_messages_discarded_total{reason="duplicate"}}).
     */
    public record Dedup(
            @DefaultValue("false") boolean enabled,
            /** Arrival-time window, counted from the first copy. */
            @NotNull @DefaultValue("2s") Duration window,
            /** Packets remembered at once; the oldest are forgotten beyond. */
            @Min(16) @DefaultValue("100000") int maxEntries) {
    }

    /** What of a SIP message is not stored. */
    public record Privacy(
            /** Replace SIP bodies by "[censored N bytes]" (Content-Length adjusted). */
            @DefaultValue("false") boolean censorBodies,
            /** Content types (without parameters) whose bodies are kept; SDP is needed for media correlation. */
            @NotNull @DefaultValue("application/sdp") List<String> keepContentTypes) {

        /** The censor these settings make: {@link BodyCensor#OFF} unless {@code censor-bodies}. */
        public BodyCensor censor() {
            return censorBodies ? BodyCensor.keeping(keepContentTypes) : BodyCensor.OFF;
        }
    }

    /** Forwarding of accepted packets as HEPv3 to other collectors. */
    public record Forward(
            /** {@code udp:host:port} or {@code tcp:host:port}; empty: no forwarding. */
            @NotNull @DefaultValue List<String> targets,
            /** Packets waiting per target; beyond, dropped and counted. */
            @Min(1) @DefaultValue("10000") int queueCapacity,
            /** Key sent in chunk 0x000e; unset: forwarded packets carry none (the agent's key is never passed on). */
            String authKey,
            /** Longest wait between reconnection attempts to a TCP target. */
            @NotNull @DefaultValue("10s") Duration reconnectMaxBackoff) {

        @AssertTrue(message = "homer.ingest.forward.targets must be udp:host:port or tcp:host:port")
        boolean isTargetsValid() {
            try {
                targets.forEach(Forward::address);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** A parsed {@code udp:host:port} or {@code tcp:host:port}. */
        public record Address(boolean tcp, String host, int port) {

            @Override
            public String toString() {
                return (tcp ? "tcp:" : "udp:") + host + ':' + port;
            }
        }

        /** Parses a target of {@link #targets}; an IPv6 host may be in brackets. */
        public static Address address(String spec) {
            String[] parts = spec.trim().split(":");
            if (parts.length < 3) {
                throw new IllegalArgumentException("forward target " + spec + " (expected: udp:host:port or tcp:host:port)");
            }
            String scheme = parts[0].toLowerCase(Locale.ROOT);
            if (!scheme.equals("udp") && !scheme.equals("tcp")) {
                throw new IllegalArgumentException("forward target " + spec + " (expected: udp:host:port or tcp:host:port)");
            }
            String host = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = Integer.parseInt(parts[parts.length - 1]);
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("forward target " + spec + " (expected: udp:host:port or tcp:host:port)");
            }
            return new Address(scheme.equals("tcp"), host, port);
        }

        @Override
        public String toString() {
            return "Forward[targets=" + targets + ", queueCapacity=" + queueCapacity + ", authKey="
                    + (authKey == null ? "unset" : "set") + "]";
        }
    }

    /** Schema and partitions of the database named by {@code spring.r2dbc.*}. */
    /**
     * Call records kept current from the stored messages (docs/architecture.md, "Call records"): every
     * collector feeds the changed calls of its batches to the builder and runs passes, one at a time
     * across them (advisory-locked). Every collector of a database must have the same {@code enabled}: one
     * with records off stores calls that no record follows. Off by default (docs/performance.md has its
     * cost); {@code hep-tools local} turns them on.
     */
    public record Calls(
            @DefaultValue("false") boolean enabled,
            /** How often a pass records the calls whose messages changed. */
            @NotNull @DefaultValue("1s") Duration interval,
            /** A call unanswered this long after its INVITE, with no final answer, is not answered (by timeout). */
            @NotNull @DefaultValue("3m") Duration ringTimeout,
            /** How far back a call's messages are read for its record. */
            @NotNull @DefaultValue("1d") Duration lookback,
            /** The most changes (a call's Call-ID per batch that changed it) one pass takes; more wait for the next pass (a backlog). */
            @Min(1) @Max(1_000_000) @DefaultValue("20000") int maxChangesPerPass,
            /** Where a record's media quality becomes a verdict; published with the ingest settings, so homer-api rates with the same. */
            @Valid @NotNull @DefaultValue Qos qos) {

        /** The store's settings, with the calls' retention of the partition policy. */
        public CallRecordStore.Settings settings(PartitionPolicy policy) {
            return new CallRecordStore.Settings(ringTimeout, lookback, maxChangesPerPass,
                    policy.retentionOf(MessageKind.SIP_CALL), qos.thresholds());
        }

        /** The media verdicts' thresholds (docs/media.md, "Verdicts"): the one setting of them, for records and the API alike. */
        public record Qos(
                /** Mean loss of a stream above this (percent): high_loss. */
                @DecimalMin("0") @DecimalMax("100") @DefaultValue("5") double lossPercent,
                /** Highest jitter of a stream above this (ms): high_jitter. */
                @DecimalMin("0") @DefaultValue("50") double jitterMs,
                /** Mean round trip of a stream above this (ms): high_rtt. */
                @DecimalMin("0") @DefaultValue("400") double rttMs) {

            public MediaThresholds thresholds() {
                return new MediaThresholds(lossPercent, jitterMs, rttMs);
            }
        }
    }

    public record Storage(
            /** Apply the schema migrations at start (retried in the background until the database is up). */
            @DefaultValue("true") boolean migrateSchema,
            /** How often time partitions are created ahead and dropped past retention. */
            @NotNull @DefaultValue("10m") Duration maintenanceInterval,
            /** How long committed batch ids are remembered (a batch retried later would be stored again). */
            @NotNull @DefaultValue("1d") Duration ledgerRetention,
            /** Time span of one partition: whole minutes dividing a day, or whole days. Never change it on a live database. */
            @NotNull @DefaultValue("1d") Duration partitionWidth,
            /** Partitions created ahead of the current one. */
            @Min(0) @Max(1000) @DefaultValue("2") int partitionsAhead,
            /** How far ahead of the collector's clock an agent timestamp is still believed. */
            @NotNull @DefaultValue("1d") Duration futureTolerance,
            @Valid @NotNull @DefaultValue Retention retention,
            /**
             * An agent whose clock is further than this from the collector's at arrival is re-timed by its
             * offset (docs/ingest.md, "Agent clocks"); within it, its timestamps are believed.
             */
            @NotNull @DefaultValue("1m") Duration clockTolerance) {

        @AssertTrue(message = "homer.ingest.storage: partition-width must be whole minutes dividing a day or whole "
                + "days, every retention at least one partition-width, future-tolerance >= 0, ledger-retention > 0, "
                + "clock-tolerance >= 0")
        boolean isPartitionPolicyValid() {
            if (ledgerRetention == null || ledgerRetention.isNegative() || ledgerRetention.isZero()
                    || clockTolerance == null || clockTolerance.isNegative()) {
                return false;
            }
            try {
                partitionPolicy();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** The common-proto policy; throws {@link IllegalArgumentException} saying what is wrong. */
        public PartitionPolicy partitionPolicy() {
            EnumMap<MessageKind, Duration> keep = new EnumMap<>(MessageKind.class);
            keep.put(MessageKind.SIP_CALL, retention.call());
            keep.put(MessageKind.SIP_REGISTRATION, retention.registration());
            keep.put(MessageKind.SIP_OTHER, retention.sipOther());
            keep.put(MessageKind.QOS, retention.qos());
            keep.put(MessageKind.LOG, retention.log());
            keep.put(MessageKind.OTHER, retention.other());
            return new PartitionPolicy(partitionWidth, partitionsAhead, keep, futureTolerance);
        }
    }

    /**
     * How long each kind of message is kept (whole partitions are dropped once past it). Keys are the
     * kinds: {@code call}, {@code registration}, {@code sip_other} (or {@code sip-other}), {@code qos},
     * {@code log}, {@code other}.
     */
    public record Retention(
            @NotNull @DefaultValue("14d") Duration call,
            @NotNull @DefaultValue("7d") Duration registration,
            @NotNull @DefaultValue("7d") Duration sipOther,
            @NotNull @DefaultValue("14d") Duration qos,
            @NotNull @DefaultValue("7d") Duration log,
            @NotNull @DefaultValue("7d") Duration other) {
    }

    /** What is taken from SIP headers besides the fixed columns. */
    public record Extraction(
            /** Headers giving the correlation id (A-leg), tried in order after HEP chunk 0x0011; X-CID by default. */
            @NotNull @DefaultValue(ExtractionSettings.DEFAULT_CORRELATION_HEADER) List<String> correlationHeaders,
            /** Headers copied into the row's extra JSON. */
            @NotNull @DefaultValue List<String> extraHeaders) {

        /** The common-proto settings. */
        public ExtractionSettings settings() {
            return new ExtractionSettings(correlationHeaders.stream().map(HeaderExtractor::parse).toList(),
                    extraHeaders.stream().map(HeaderExtractor::parse).toList());
        }
    }

    /** SIP KPI metrics (ASR, NER, SRD, RRD, SD). */
    public record Kpi(
            @DefaultValue("true") boolean enabled,
            /**
             * Transactions and sessions tracked for the delay histograms (open ones, and those ended within 32 s), each
             * kind; beyond, counted as untracked. About 90 bytes each.
             */
            @Min(1) @DefaultValue("200000") int maxTracked,
            /** A transaction without final reply, or a session without BYE, is forgotten after this. */
            @NotNull @DefaultValue("2m") Duration transactionExpiry,
            @NotNull @DefaultValue("12h") Duration sessionExpiry,
            /** Distinct node label values; further nodes are labelled "other". */
            @Min(1) @DefaultValue("256") int maxNodes) {
    }

    /** SIP security events ({@code sip_security_events_total{kind,node}}). */
    public record Security(
            @DefaultValue("true") boolean enabled,
            /** Case-insensitive substrings of User-Agent or From display name that mark a scanner's request. */
            @NotNull @DefaultValue({"friendly-scanner", "sipvicious", "sipcli", "sip-scan", "sipsak", "sundayddr",
                    "iWar", "VaxSIPUserAgent", "PortSIP VoIP SDK", "pplsip", "SIPScan", "smap", "sip-scanner",
                    "Cisco-SIPGateway/IOS-12.x", "Asterisk PBX 1.6.0.10"}) List<String> scannerUserAgents,
            /** More than this many 401/403 replies to REGISTERs towards one address within the window is brute force... */
            @Min(1) @DefaultValue("20") int bruteForceThreshold,
            /** ...over this sliding window (by capture time); an address is counted at most once per window. */
            @NotNull @DefaultValue("1m") Duration bruteForceWindow,
            /** Addresses tracked for brute force at once; the least recently seen is forgotten beyond. */
            @Min(1) @DefaultValue("10000") int maxTrackedSources) {
    }
}
