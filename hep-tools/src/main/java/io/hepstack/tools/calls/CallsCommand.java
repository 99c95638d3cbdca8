package io.hepstack.tools.calls;

import io.hepstack.proto.call.CallRecordStore;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hep-tools calls rebuild --from T --to T}: records again every call that started in the range from
 * its stored messages (docs/architecture.md, "Call records"), and every binding registered in the range from its
 * REGISTER transactions ("Registration records"): after the record rules changed in an
 * upgrade, or for messages stored before records existed. The database is the services' own
 * ({@code SPRING_R2DBC_URL}, {@code SPRING_R2DBC_USERNAME}, {@code SPRING_R2DBC_PASSWORD}, or the options).
 * Safe beside running collectors: a record depends only on its call's rows.
 */
@Command(name = "calls", mixinStandardHelpOptions = true, subcommands = CallsCommand.Rebuild.class,
        description = "Call records: rebuild them from the stored messages.")
public final class CallsCommand {

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Record again every call that started in [--from, --to) from its stored messages, and every "
                    + "binding registered in it from its REGISTER transactions.")
    static final class Rebuild implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--from", required = true, paramLabel = "TIME", description = "start, ISO-8601 (2026-11-22T10:00:00Z)")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "end (exclusive), ISO-8601")
        String to;

        @Option(names = "--db-url", paramLabel = "URL", defaultValue = "${env:SPRING_R2DBC_URL}",
                description = "r2dbc:postgresql://host:port/database (default: $SPRING_R2DBC_URL)")
        String url;

        @Option(names = "--db-user", paramLabel = "NAME", defaultValue = "${env:SPRING_R2DBC_USERNAME:-postgres}",
                description = "default: $SPRING_R2DBC_USERNAME, else postgres")
        String user;

        @Option(names = "--db-password", paramLabel = "SECRET", defaultValue = "${env:SPRING_R2DBC_PASSWORD}",
                description = "default: $SPRING_R2DBC_PASSWORD")
        String password;

        @Option(names = "--ring-timeout", paramLabel = "DURATION", defaultValue = "PT3M",
                description = "as the collectors' homer.ingest.calls.ring-timeout, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration ringTimeout;

        private final PrintStream out;

        Rebuild() {
            this(System.out);
        }

        Rebuild(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            Instant start = instant("--from", from);
            Instant end = instant("--to", to);
            if (!start.isBefore(end)) {
                throw new ParameterException(spec.commandLine(), "--from must be before --to");
            }
            if (url == null || url.isBlank()) {
                throw new ParameterException(spec.commandLine(), "no database: set SPRING_R2DBC_URL or --db-url");
            }
            ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(url).mutate()
                    .option(ConnectionFactoryOptions.USER, user);
            if (password != null) {
                options.option(ConnectionFactoryOptions.PASSWORD, password);
            }
            ConnectionFactory connections = ConnectionFactories.get(options.build());
            CallRecordStore.Settings d = CallRecordStore.Settings.DEFAULTS;
            CallRecordStore store = new CallRecordStore(connections, Clock.systemUTC(),
                    new CallRecordStore.Settings(ringTimeout, d.lookback(), d.maxChanges(), d.retention()));
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Long n = store.rebuild(start, end).block();
            long wall = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            out.printf(Locale.ROOT, "rebuilt %d call records of calls started from %s to %s in %.2f s; this process's CPU: "
                    + "%.2f s%s%n", n, start, end, wall / 1e9, cpu / 1e9,
                    n == null || n == 0 ? "" : String.format(Locale.ROOT, ", %.1f µs per record", cpu / 1e3 / n));
            Long bindings = store.rebuildRegistrations(start, end).block();
            out.printf(Locale.ROOT, "rebuilt %d registration records of bindings registered from %s to %s%n", bindings, start, end);
            return 0;
        }

        /** CPU time this JVM has used, all threads (the rebuild runs on the driver's event loop). */
        private static long processCpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : 0;
        }

        private Instant instant(String option, String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), option + ": not an ISO-8601 time: " + value);
            }
        }
    }
}
