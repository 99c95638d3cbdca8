package io.hepstack.ingest.listen;

import io.hepstack.ingest.IngestMetrics;
import io.hepstack.ingest.IngestPipeline;
import io.hepstack.ingest.IngestProperties;
import io.hepstack.ingest.Transport;
import io.hepstack.proto.hep.HepStreamFramer;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;
import reactor.netty.udp.UdpServer;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HEP listeners: UDP (optionally several SO_REUSEPORT sockets), TCP and TLS, on their own event
 * loops (native epoll when available). Every listener feeds the same {@link IngestPipeline}.
 */
public final class HepListeners {

    private static final Logger log = LoggerFactory.getLogger(HepListeners.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** A datagram may be as large as UDP allows; Netty's default would cut it at 2,048 bytes. */
    private static final int MAX_DATAGRAM = 65535;

    private final IngestProperties props;
    private final IngestPipeline pipeline;
    private final IngestMetrics metrics;
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final AtomicInteger tlsConnections = new AtomicInteger();
    private final AtomicLong lastStreamReadNanos = new AtomicLong(System.nanoTime());
    private final List<Connection> udp = new ArrayList<>();
    private LoopResources loops;
    private DisposableServer tcp;
    private DisposableServer tls;

    public HepListeners(IngestProperties props, IngestPipeline pipeline, IngestMetrics metrics) {
        this.props = props;
        this.pipeline = pipeline;
        this.metrics = metrics;
        Gauge.builder("hep.connections", tcpConnections, AtomicInteger::get).tag("transport", "tcp")
                .description("Open HEP stream connections").register(metrics.registry());
        Gauge.builder("hep.connections", tlsConnections, AtomicInteger::get).tag("transport", "tls")
                .register(metrics.registry());
    }

    /** Binds every enabled listener; throws when a port cannot be bound. */
    public synchronized void start() {
        loops = LoopResources.create("hep", 1, Math.max(1, Runtime.getRuntime().availableProcessors()), true);
        log.info("HEP listeners on {} transport", Epoll.isAvailable() ? "native epoll" : "NIO");
        if (props.udp().enabled()) {
            startUdp(props.udp());
        }
        if (props.tcp().enabled()) {
            tcp = stream(props.tcp().host(), props.tcp().port(), Transport.TCP, tcpConnections, null);
            log.info("HEP/TCP listening on {}", tcp.address());
        }
        if (props.tls().enabled()) {
            tls = stream(props.tls().host(), props.tls().port(), Transport.TLS, tlsConnections, sslContext(props.tls()));
            log.info("HEP/TLS listening on {} (client-auth {})", tls.address(), props.tls().clientAuth());
        }
    }

    private void startUdp(IngestProperties.Udp cfg) {
        int sockets = cfg.sockets();
        if (sockets > 1 && !Epoll.isAvailable()) {
            log.warn("homer.ingest.udp.sockets={} needs native epoll (SO_REUSEPORT); binding 1 socket", sockets);
            sockets = 1;
        }
        int port = cfg.port();
        int requested = (int) Math.min(Integer.MAX_VALUE, cfg.receiveBuffer().toBytes());
        DatagramHandler handler = new DatagramHandler(pipeline);
        for (int i = 0; i < sockets; i++) {
            UdpServer server = UdpServer.create().host(cfg.host()).port(port).runOn(loops)
                    .option(ChannelOption.SO_RCVBUF, requested)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                    .doOnChannelInit((observer, ch, remote) -> addBeforeBridge(ch.pipeline(), "hep.datagram", handler))
                    // datagrams are consumed by the handler; subscribing the inbound keeps reading on
                    .handle((in, out) -> in.receive().then());
            if (sockets > 1) {
                server = server.option(EpollChannelOption.SO_REUSEPORT, true);
            }
            Connection c = server.bindNow(BIND_TIMEOUT);
            udp.add(c);
            port = ((InetSocketAddress) c.address()).getPort(); // the other sockets share the first's port
            Integer granted = c.channel().config().getOption(ChannelOption.SO_RCVBUF);
            log.info("HEP/UDP listening on {} (SO_RCVBUF requested {}, granted {}{})", c.address(), requested,
                    granted, granted != null && granted < requested
                            ? "; raise net.core.rmem_max to get what was requested" : "");
        }
    }

    private DisposableServer stream(String host, int port, Transport transport, AtomicInteger connections,
                                    SslContext ssl) {
        IngestProperties.Tcp cfg = props.tcp();
        long idleMillis = cfg.idleTimeout().toMillis();
        TcpServer server = TcpServer.create().host(host).port(port).runOn(loops)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .doOnChannelInit((observer, ch, remote) -> {
                    ChannelPipeline p = ch.pipeline();
                    if (idleMillis > 0) {
                        addBeforeBridge(p, "hep.idle", new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
                    }
                    addBeforeBridge(p, "hep.framer",
                            new HepFrameDecoder(new HepStreamFramer(cfg.maxFrameBytes()), metrics));
                    addBeforeBridge(p, "hep.stream",
                            new StreamHandler(pipeline, metrics, transport, connections, cfg.maxConnections(),
                                    lastStreamReadNanos));
                })
                // frames are consumed by the handlers above; this only holds the connection until EOF
                .handle((in, out) -> in.receive().then());
        if (ssl != null) {
            server = server.secure(spec -> spec.sslContext(ssl));
        }
        return server.bindNow(BIND_TIMEOUT);
    }

    private static SslContext sslContext(IngestProperties.Tls cfg) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cfg.certificate().toFile(), cfg.privateKey().toFile());
            if (cfg.clientAuth() != IngestProperties.ClientAuth.NONE) {
                b.trustManager(cfg.trustedCertificates().toFile())
                        .clientAuth(cfg.clientAuth() == IngestProperties.ClientAuth.REQUIRE
                                ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("homer.ingest.tls: cannot load certificate or key: " + e.getMessage(), e);
        }
    }

    private static void addBeforeBridge(ChannelPipeline p, String name, ChannelHandler h) {
        if (p.get(NettyPipeline.ReactiveBridge) != null) {
            p.addBefore(NettyPipeline.ReactiveBridge, name, h);
        } else {
            p.addLast(name, h);
        }
    }

    /**
     * Stops reading: unbinds UDP at once; for TCP and TLS, first reads what open connections still
     * send until every stream has been quiet for {@code STREAM_QUIET} (data an agent's kernel already
     * handed over is not cut off), at most {@code timeout}; then unbinds and closes the connections.
     */
    public synchronized void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Connection c : udp) {
            c.disposeNow(timeout);
        }
        udp.clear();
        drainStreams(deadline);
        stopAll(timeout);
    }

    /** How long every stream connection must have sent nothing before the streams are closed at shutdown. */
    static final Duration STREAM_QUIET = Duration.ofMillis(300);

    private void drainStreams(long deadline) {
        if (tcp == null && tls == null) {
            return;
        }
        long quiet = STREAM_QUIET.toNanos();
        long stopAt = System.nanoTime();
        try {
            while (System.nanoTime() < deadline) {
                long now = System.nanoTime();
                boolean justStopping = now - stopAt < quiet; // connections still in the accept backlog
                boolean active = tcpConnections.get() + tlsConnections.get() > 0
                        && (now - lastStreamReadNanos.get() < quiet || pipeline.anyPaused());
                if (!justStopping && !active) {
                    return;
                }
                Thread.sleep(20);
            }
            log.warn("stream connections still sending at shutdown; closing them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAll(Duration timeout) {
        for (Connection c : udp) {
            c.disposeNow(timeout);
        }
        udp.clear();
        if (tcp != null) {
            tcp.disposeNow(timeout);
            tcp = null;
        }
        if (tls != null) {
            tls.disposeNow(timeout);
            tls = null;
        }
        if (loops != null) {
            loops.disposeLater(Duration.ZERO, timeout).block(timeout.plusSeconds(1));
            loops = null;
        }
    }

    /** The bound UDP address (of the first socket), or {@code null}. */
    public InetSocketAddress udpAddress() {
        return udp.isEmpty() ? null : (InetSocketAddress) udp.get(0).address();
    }

    /** The bound TCP address, or {@code null}. */
    public InetSocketAddress tcpAddress() {
        return tcp == null ? null : (InetSocketAddress) tcp.address();
    }

    /** The bound TLS address, or {@code null}. */
    public InetSocketAddress tlsAddress() {
        return tls == null ? null : (InetSocketAddress) tls.address();
    }
}
