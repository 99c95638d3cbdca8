package io.hepstack.ingest.listen;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepStreamFramer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HEP listeners: UDP (optionally several SO_REUSEPORT sockets), TCP and TLS, on their own event
 * loops (native epoll when available). Every listener feeds the same {@link HepReceiver}.
 */
public final class HepListeners {

    private static final Logger log = LoggerFactory.getLogger(HepListeners.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** A datagram may be as large as UDP allows; Netty's default would cut it at 2,048 bytes. */
    private static final int MAX_DATAGRAM = 65535;

    private final IngestProperties props;
    private final HepReceiver pipeline;
    private final ListenerMetrics metrics;
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final AtomicInteger tlsConnections = new AtomicInteger();
    /** Open TCP and TLS connections per source address. */
    private final java.util.Map<java.net.InetAddress, Integer> perSource = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong lastStreamReadNanos = new AtomicLong(System.nanoTime());
    /** Open TCP/TLS connections (removed from the group when they close). */
    private final ChannelGroup streams = new DefaultChannelGroup("hep-streams", GlobalEventExecutor.INSTANCE);
    private final List<Connection> udp = new ArrayList<>();
    /**
     * Read by the kernel-drop counter. Held here because a meter registry holds a function counter's object only
     * weakly: a reader held by nothing else is collected and its counter stays at its last value for good.
     */
    private UdpSocketDrops udpDrops;
    private LoopResources loops;
    private DisposableServer tcp;
    private DisposableServer tls;

    public HepListeners(IngestProperties props, HepReceiver pipeline, ListenerMetrics metrics) {
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
            Instant notAfter = TlsCertificates.firstExpiry(props.tls().certificate());
            Gauge.builder("hep.tls.certificate.not.after", notAfter, Instant::getEpochSecond).baseUnit("seconds")
                    .strongReference(true) // held by nothing else: a weakly held instant would read NaN after a GC
                    .description("When the first certificate of the HEP/TLS chain expires (Unix time)")
                    .register(metrics.registry());
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
        udpDrops = UdpSocketDrops.of(port);
        if (udpDrops != null) {
            FunctionCounter.builder("hep.packets.dropped", udpDrops, UdpSocketDrops::read)
                    .tag("stage", "kernel").tag("reason", "receive_buffer")
                    .description(ListenerMetrics.DROPPED_DESCRIPTION)
                    .register(metrics.registry());
        }
    }

    private DisposableServer stream(String host, int port, Transport transport, AtomicInteger connections,
                                    SslContext ssl) {
        IngestProperties.Tcp cfg = props.tcp();
        long idleMillis = cfg.idleTimeout().toMillis();
        TcpServer server = TcpServer.create().host(host).port(port).runOn(loops)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .doOnChannelInit((observer, ch, remote) -> {
                    streams.add(ch);
                    ChannelPipeline p = ch.pipeline();
                    if (idleMillis > 0) {
                        addBeforeBridge(p, "hep.idle", new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
                    }
                    addBeforeBridge(p, "hep.framer",
                            new HepFrameDecoder(new HepStreamFramer(cfg.maxFrameBytes()), metrics));
                    addBeforeBridge(p, "hep.stream",
                            new StreamHandler(pipeline, metrics, transport, new StreamHandler.Limits(connections,
                                    cfg.maxConnections(), perSource, cfg.maxConnectionsPerSource(),
                                    cfg.firstFrameTimeout().toMillis()), lastStreamReadNanos));
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
     * Stops reading: unbinds UDP at once. For TCP and TLS, closes the listening sockets (new
     * connections are refused, so a balancer sends them to another replica), half-closes every open
     * connection (TCP FIN, after a TLS close_notify: the agent reads end of stream while its own
     * direction stays open) and keeps reading until each agent has closed its side, or every stream
     * has been quiet for {@code homer.ingest.shutdown-quiet} since it was last read or paused by
     * backpressure, at most {@code timeout}; then closes what is left. An agent that closes (and reconnects) when it reads
     * end of stream loses nothing it wrote before.
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

    private void drainStreams(long deadline) {
        if (tcp == null && tls == null) {
            return;
        }
        for (DisposableServer server : new DisposableServer[] {tcp, tls}) {
            if (server != null) {
                server.channel().close().awaitUninterruptibly(BIND_TIMEOUT.toMillis()); // unbind, keep the connections
            }
        }
        int open = streams.size();
        for (Channel ch : streams) {
            halfClose(ch);
        }
        lastStreamReadNanos.set(System.nanoTime()); // the quiet period starts with the half-close
        // how long every stream connection must have sent nothing before the streams are closed
        Duration quietFor = props.shutdownQuiet();
        long quiet = quietFor.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (streams.isEmpty()) {
                    log.info("HEP stream listeners closed; all {} open connections closed by their agents", open);
                    return;
                }
                if (pipeline.anyPaused()) {
                    // a stream we paused is not quiet: its agent may be blocked mid-frame on our backpressure,
                    // so the quiet period counts from the end of the pause
                    lastStreamReadNanos.set(System.nanoTime());
                } else if (System.nanoTime() - lastStreamReadNanos.get() >= quiet) {
                    log.info("HEP stream listeners closed; closing {} of {} connections quiet for {}",
                            streams.size(), open, quietFor);
                    return;
                }
                Thread.sleep(20);
            }
            log.warn("{} stream connections still sending at shutdown; closing them", streams.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends our direction of a stream connection; the agent's direction stays open and is read on. */
    private static void halfClose(Channel ch) {
        if (!(ch instanceof DuplexChannel duplex)) {
            ch.close();
            return;
        }
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.closeOutbound().addListener((ChannelFutureListener) f -> duplex.shutdownOutput());
        } else {
            duplex.shutdownOutput();
        }
    }

    private void stopAll(Duration timeout) {
        for (Connection c : udp) {
            c.disposeNow(timeout);
        }
        udp.clear();
        streams.close().awaitUninterruptibly(timeout.toMillis());
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
