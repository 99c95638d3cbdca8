package io.hepstack.proto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL 15 programs (package {@code postgresql-15}; {@code pg_autoctl} of
 * {@code postgresql-15-auto-failover}) as a test runs them: as the current user, or as {@code postgres}
 * when the tests run as root (PostgreSQL refuses root), in a temporary directory that user owns, with
 * the programs of {@link #BIN} first on the PATH and pg_autoctl's configuration and state kept in that
 * directory (never in a home directory).
 *
 * <p>Servers it starts trust local connections: {@link #open} connects as {@link #superuser()} without a
 * password.
 */
public final class DebianPostgres {

    /** Where Debian installs PostgreSQL 15's programs. */
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private DebianPostgres() {
    }

    /** Fails, naming the package, unless {@code program} of {@link #BIN} (or {@code /usr/bin}) is installed. */
    public static String require(String program, String debianPackage) {
        for (Path p : List.of(BIN.resolve(program), Path.of("/usr/bin", program))) {
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(program + " not found: install the Debian package " + debianPackage
                + " (./hepstack test installs every test peer: TEST_PACKAGES)");
    }

    /** The superuser initdb makes: the name of the user the servers run as. */
    public static String superuser() {
        return ROOT ? "postgres" : System.getProperty("user.name");
    }

    /** A new temporary directory that the servers' user owns. */
    public static Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            if (ROOT) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("creating a directory for PostgreSQL", e);
        }
    }

    /** {@code program args} as the servers' user, in {@code dir} (see the class comment). */
    public static ProcessBuilder command(Path dir, String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (ROOT) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of("env", "PATH=" + BIN + ":/usr/bin:/bin", "HOME=" + dir,
                "XDG_CONFIG_HOME=" + dir.resolve("config"), "XDG_DATA_HOME=" + dir.resolve("share")));
        cmd.add(program);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile());
    }

    /** Runs {@code program args} to its end; fails with its output unless it exits with 0 within {@code timeout}. */
    public static void run(Path dir, Duration timeout, String program, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, program, ".log");
        try (Service p = new Service(program, command(dir, program, args), log)) {
            int status = p.await(timeout);
            if (status != 0) {
                throw new AssertionError(program + " exited with " + status + ":\n" + p.output());
            }
        }
    }

    /** Starts a long-running {@code program args} (a server, a pg_autoctl node); its output in {@code dir/name.log}. */
    public static ChildProcess start(Path dir, String name, String program, String... args) throws IOException {
        return new Service(name, command(dir, program, args), dir.resolve(name + ".log"));
    }

    /** A connection as {@link #superuser()} to {@code database} of the server on the loopback {@code port}. */
    public static Connection open(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, superuser(), "");
    }

    /** Deletes a directory whose servers have stopped. */
    public static void remove(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static final class Service extends ChildProcess {
        Service(String name, ProcessBuilder command, Path log) throws IOException {
            super(name, command, log, Duration.ofSeconds(20));
        }
    }
}
