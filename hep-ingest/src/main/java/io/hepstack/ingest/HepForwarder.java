package io.hepstack.ingest;

import io.hepstack.ingest.config.IngestProperties;
import io.hepstack.proto.hep.HepEncoder;
import io.hepstack.proto.hep.HepPacket;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends accepted packets on to other collectors as HEPv3 ({@code homer.ingest.forward}). Each target
 * has a bounded queue and its own sender thread: the listener only offers, never waits; a packet
 * finding the queue full, or failing to encode or send, is dropped and counted
 * ({@code hep_packets_dropped_total{stage="forward"}}). TCP targets reconnect with exponential backoff.
 * The agent's authentication key is replaced by {@code forward.auth-key} (absent when unset).
 */
final class HepForwarder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HepForwarder.class);

    private final List<Target> targets = new ArrayList<>();
    private final String authKey;
    private final IngestMetrics metrics;

    HepForwarder(IngestProperties.Forward props, IngestMetrics metrics) {
        this.authKey = props.authKey();
        this.metrics = metrics;
        for (String t : props.targets()) {
            targets.add(new Target(IngestProperties.Forward.address(t), props.queueCapacity(),
                    props.reconnectMaxBackoff()));
        }
        targets.forEach(Target::start);
    }

    /** Whether there is anywhere to forward to. */
    boolean enabled() {
        return !targets.isEmpty();
    }

    /** Queues {@code packet} for every target; never blocks. */
    void forward(HepPacket packet) {
        HepPacket out = packet.withAuthKey(authKey);
        for (Target t : targets) {
            if (!t.queue.offer(out)) {
                metrics.dropped("forward", "full", 1);
            }
        }
    }

    @Override
    public void close() {
        for (Target t : targets) {
            t.thread.interrupt();
        }
        for (Target t : targets) {
            try {
                t.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int left = t.queue.size();
            if (left > 0) {
                metrics.dropped("forward", "shutdown", left);
            }
        }
    }

    private final class Target implements Runnable {

        final IngestProperties.Forward.Address address;
        final BlockingQueue<HepPacket> queue;
        final Duration maxBackoff;
        final Thread thread;
        final Counter forwarded;
        private DatagramChannel udp;
        private Socket tcp;
        private OutputStream tcpOut;

        Target(IngestProperties.Forward.Address address, int capacity, Duration maxBackoff) {
            this.address = address;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.maxBackoff = maxBackoff;
            this.thread = new Thread(this, "hep-forward-" + address);
            this.thread.setDaemon(true);
            this.forwarded = Counter.builder("hep.packets.forwarded").description("Packets sent to a forward target")
                    .tag("target", address.toString()).register(metrics.registry());
        }

        void start() {
            thread.start();
        }

        @Override
        public void run() {
            long backoffMs = 100;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    HepPacket p = queue.take();
                    byte[] bytes;
                    try {
                        bytes = HepEncoder.encode(p);
                    } catch (RuntimeException e) {
                        metrics.dropped("forward", "error", 1);
                        continue;
                    }
                    while (true) {
                        try {
                            send(bytes);
                            forwarded.increment();
                            backoffMs = 100;
                            break;
                        } catch (IOException e) {
                            closeConnection();
                            if (!address.tcp()) {
                                metrics.dropped("forward", "error", 1);
                                break;
                            }
                            log.warn("forward to {} failed ({}); retrying in {} ms", address, e.toString(), backoffMs);
                            TimeUnit.MILLISECONDS.sleep(backoffMs);
                            backoffMs = Math.min(backoffMs * 2, maxBackoff.toMillis());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeConnection();
            }
        }

        private void send(byte[] bytes) throws IOException {
            if (address.tcp()) {
                if (tcp == null) {
                    tcp = new Socket();
                    tcp.connect(new InetSocketAddress(address.host(), address.port()), 5000);
                    tcpOut = tcp.getOutputStream();
                    log.info("forwarding to {}", address);
                }
                tcpOut.write(bytes);
            } else {
                if (udp == null) {
                    udp = DatagramChannel.open();
                    udp.connect(new InetSocketAddress(address.host(), address.port()));
                }
                udp.write(ByteBuffer.wrap(bytes));
            }
        }

        private void closeConnection() {
            try {
                if (udp != null) {
                    udp.close();
                }
                if (tcp != null) {
                    tcp.close();
                }
            } catch (IOException ignored) {
                // closing: nothing left to do
            } finally {
                udp = null;
                tcp = null;
                tcpOut = null;
            }
        }
    }
}
