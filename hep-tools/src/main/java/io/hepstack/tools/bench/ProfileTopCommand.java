package io.hepstack.tools.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code hep-tools profile-top}: where a process spent its CPU, from a JDK Flight Recorder file's execution
 * samples ({@code jdk.ExecutionSample}: a thread's stack, taken every 10 or 20 ms while it runs Java code).
 * Prints the share of samples per thread group (thread names with their numbers dropped), per area of the
 * top frame (this project's packages, Netty, Reactor, the R2DBC driver, the JDK), the methods most often on top
 * (self time) and this project's methods most often anywhere on the stack (inclusive time). Time in native
 * code and the kernel (system calls) is not sampled here; a process's CPU time beside it says how much that is.
 */
@Command(name = "profile-top", mixinStandardHelpOptions = true,
        description = "Summarize a JFR recording's CPU samples: per thread, per area, top methods.")
public final class ProfileTopCommand implements Callable<Integer> {

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "a .jfr recording")
    Path file;

    @Option(names = "--top", paramLabel = "N", defaultValue = "25", description = "methods listed per table")
    int top;

    /** The areas of a top frame, first match wins: this project's modules, then the libraries, then the JDK. */
    static final Map<String, String> AREAS = areas();

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final PrintStream out;

    public ProfileTopCommand() {
        this(System.out);
    }

    ProfileTopCommand(PrintStream out) {
        this.out = out;
    }

    private static Map<String, String> areas() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("io.hepstack.proto.", "hepstack common-proto");
        a.put("io.hepstack.ingest.", "hepstack hep-ingest");
        a.put("io.hepstack.", "hepstack other");
        a.put("io.netty.", "netty");
        a.put("reactor.netty.", "reactor-netty");
        a.put("reactor.", "reactor");
        a.put("io.r2dbc.", "r2dbc");
        a.put("io.micrometer.", "micrometer");
        a.put("com.fasterxml.", "jackson");
        a.put("org.springframework.", "spring");
        a.put("java.", "jdk");
        a.put("javax.", "jdk");
        a.put("jdk.", "jdk");
        a.put("sun.", "jdk");
        return a;
    }

    /** Samples counted by key. */
    static final class Tally {
        final Map<String, Long> counts = new HashMap<>();

        void add(String key) {
            counts.merge(key, 1L, Long::sum);
        }
    }

    /** The tallies of one recording. */
    record Profile(long samples, Tally threads, Tally areas, Tally self, Tally inclusive) {
    }

    @Override
    public Integer call() throws IOException {
        Profile p = read(file);
        if (p.samples() == 0) {
            System.err.println("profile-top: no execution samples in " + file + " (recorded with settings=profile?)");
            return 2;
        }
        out.printf(Locale.ROOT, "profile-top: %s, %d execution samples%n", file, p.samples());
        print("thread group", p.threads(), p.samples(), top);
        print("area of the top frame", p.areas(), p.samples(), top);
        print("method on top (self)", p.self(), p.samples(), top);
        print("hepstack method on the stack (inclusive)", p.inclusive(), p.samples(), top);
        return 0;
    }

    static Profile read(Path file) throws IOException {
        Tally threads = new Tally();
        Tally areas = new Tally();
        Tally self = new Tally();
        Tally inclusive = new Tally();
        long samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                RecordedThread thread = e.getThread("sampledThread");
                threads.add(thread == null || thread.getJavaName() == null ? "?" : threadGroup(thread.getJavaName()));
                List<RecordedFrame> frames = stack.getFrames();
                String topMethod = name(frames.get(0).getMethod());
                self.add(topMethod);
                areas.add(areaOf(topMethod));
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String m = name(f.getMethod());
                    if (m.startsWith("io.hepstack.") && seen.add(m)) {
                        inclusive.add(m);
                    }
                }
            }
        }
        return new Profile(samples, threads, areas, self, inclusive);
    }

    /** A thread's name without its numbers: the pool or loop it belongs to ({@code reactor-udp-epoll-#}). */
    static String threadGroup(String name) {
        return DIGITS.matcher(name).replaceAll("#");
    }

    /** The area of a method named {@code class.method}. */
    static String areaOf(String method) {
        for (Map.Entry<String, String> a : AREAS.entrySet()) {
            if (method.startsWith(a.getKey())) {
                return a.getValue();
            }
        }
        return "other";
    }

    private static String name(RecordedMethod m) {
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private void print(String title, Tally t, long samples, int n) {
        out.printf(Locale.ROOT, "%n%-90s %8s %7s%n", title, "samples", "share");
        t.counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .forEach(e -> out.printf(Locale.ROOT, "%-90s %8d %6.1f%%%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / samples));
    }
}
