package io.hepstack.tools.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code --verbose}: copies the lines a log file gains to the console, each behind the name of the
 * program that wrote it ({@code hep-ingest | ...}), like {@code tail -f}. The log file stays the
 * record; the copy is for watching. One daemon thread per file, polling every 200 ms.
 */
final class LogFollower implements Runnable {

    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final String prefix;
    private final PrintStream out;

    private LogFollower(Path file, String name, PrintStream out) {
        this.file = file;
        this.prefix = String.format("%-10s | ", name);
        this.out = out;
    }

    /** Follows {@code file} from its start (it is new for this run) until the JVM exits. */
    static void follow(Path file, String name, PrintStream out) {
        Thread t = new Thread(new LogFollower(file, name, out), "log-" + name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        long position = 0;
        byte[] partial = new byte[0];
        byte[] buf = new byte[64 * 1024];
        while (true) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                if (f.length() < position) {
                    position = 0; // replaced
                }
                f.seek(position);
                int n;
                while ((n = f.read(buf)) > 0) {
                    position += n;
                    partial = printLines(partial, buf, n);
                }
            } catch (IOException notYet) {
                // not created yet: try again
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Prints each complete line of {@code partial + buf[0, n)}; returns the incomplete rest. */
    private byte[] printLines(byte[] partial, byte[] buf, int n) {
        byte[] all = new byte[partial.length + n];
        System.arraycopy(partial, 0, all, 0, partial.length);
        System.arraycopy(buf, 0, all, partial.length, n);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.println(prefix + new String(all, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        byte[] rest = new byte[all.length - start];
        System.arraycopy(all, start, rest, 0, rest.length);
        return rest;
    }
}
