package io.hepstack.tools.e2e;

import io.hepstack.tools.bench.TrafficGenerator;
import io.hepstack.tools.bench.TrafficMix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A HEP agent over TCP that behaves as the collector's shutdown contract asks (docs/ingest.md,
 * "SIGTERM"): it writes whole packets of {@code hep-tools bench}'s generator (run id {@code runId}, so
 * every packet is known and {@code bench --write-copy} reproduces them) at about {@code rate} per
 * second, watches its socket for end of stream, and when the collector (through nginx) half-closes,
 * finishes the packet it is writing, closes its side, and reconnects to the same address for the next
 * packet. A packet counts as sent once its write returned; any I/O error is recorded, never retried
 * (its fate would be unknown), so the test fails on it.
 */
final class ReconnectingTcpAgent implements AutoCloseable {

    final long runId;
    private final InetSocketAddress target;
    private final int rate;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    ReconnectingTcpAgent(InetSocketAddress target, long runId, int rate) {
        this.target = target;
        this.runId = runId;
        this.rate = rate;
        this.thread = new Thread(this::run, String.format("agent-%08x", runId));
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        TrafficGenerator gen = new TrafficGenerator(runId, TrafficGenerator.DEFAULT_CAPTURE_ID, TrafficMix.DEFAULT);
        long startNanos = System.nanoTime();
        long wallMicros = System.currentTimeMillis() * 1000;
        byte[] pending = null;
        while (!stop.get()) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(target, 10_000);
                connections.incrementAndGet();
                AtomicBoolean endOfStream = new AtomicBoolean();
                Thread reader = watch(s, endOfStream);
                OutputStream out = s.getOutputStream();
                while (!stop.get() && !endOfStream.get()) {
                    if (pending == null) {
                        pending = gen.next(wallMicros + (System.nanoTime() - startNanos) / 1000);
                    }
                    out.write(pending); // one whole packet per write
                    pending = null;
                    long n = sent.incrementAndGet();
                    long due = startNanos + n * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                // Either way, the agent ends its direction and waits for the other end's: through nginx
                // with proxy_half_close, the collector reads to our FIN before its own close reaches us.
                s.shutdownOutput();
                reader.join(30_000);
                if (!endOfStream.get()) {
                    errors.add("no end of stream within 30 s after closing our side");
                }
            } catch (IOException e) {
                errors.add("after " + sent.get() + " packets: " + e);
                stop.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
            } finally {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private Thread watch(Socket s, AtomicBoolean endOfStream) {
        Thread reader = new Thread(() -> {
            try {
                InputStream in = s.getInputStream();
                int b = in.read();
                if (b == -1) {
                    endOfStream.set(true);
                } else {
                    errors.add("the collector sent data: byte " + b);
                }
            } catch (IOException e) {
                errors.add("reading: " + e);
                endOfStream.set(true);
            }
        }, thread.getName() + "-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    long sent() {
        return sent.get();
    }

    /** Connections opened so far (1 + reconnects). */
    int connections() {
        return connections.get();
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    /** Stops after the packet being written, closes cleanly (FIN, then the other end's), waits. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(40_000);
    }
}
