package io.hepstack.tools.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The suite's own PostgreSQL for {@code hep-tools local}: zonky's PostgreSQL binaries (Maven Central)
 * with the data directory {@code DATA/postgres}, kept between runs.
 *
 * <p>Contract:
 * <ul>
 *   <li>Durable: a commit that returned is on disk ({@code fsync=on}, {@code synchronous_commit=on},
 *       {@code full_page_writes=on}), so a crash or a kill -9 of PostgreSQL loses nothing the collector
 *       reported stored.</li>
 *   <li>Password only: the superuser {@code postgres} has a generated password kept in
 *       {@code DATA/postgres-password} (mode 0600), and every connection, TCP or Unix socket, must
 *       give it (SCRAM-SHA-256 in {@code pg_hba.conf}). A new data directory is created that way by
 *       initdb, so it never accepts a connection without the password.</li>
 *   <li>A data directory of an older hepstack ({@code pg_hba.conf} with {@code trust}, no password
 *       file) is migrated on its first start: the password is written to the file, set on the role,
 *       {@code pg_hba.conf} is replaced by {@link #PG_HBA}, and PostgreSQL restarts with it. Each step
 *       can be repeated, so a migration cut short finishes at the next start.</li>
 *   <li>Its output (initdb, pg_ctl, the server's log) goes to the log file given to {@link #start}.</li>
 * </ul>
 */
final class LocalDatabase implements AutoCloseable {

    /** The superuser, the only role. */
    static final String USER = "postgres";
    static final String PASSWORD_FILE = "postgres-password";
    static final String DIRECTORY = "postgres";

    /** {@code pg_hba.conf} of a migrated data directory: the lines initdb writes for {@code --auth=scram-sha-256}. */
    static final String PG_HBA = """
            # hep-tools local: every connection gives the password of ../postgres-password (SCRAM).
            # TYPE  DATABASE     USER  ADDRESS       METHOD
            local   all          all                 scram-sha-256
            host    all          all   127.0.0.1/32  scram-sha-256
            host    all          all   ::1/128       scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all   127.0.0.1/32  scram-sha-256
            host    replication  all   ::1/128       scram-sha-256
            """;

    private final EmbeddedPostgres pg;
    private final String password;
    private final Path passwordFile;

    private LocalDatabase(EmbeddedPostgres pg, String password, Path passwordFile) {
        this.pg = pg;
        this.password = password;
        this.passwordFile = passwordFile;
    }

    /**
     * Starts PostgreSQL on 127.0.0.1:{@code port} with its data in {@code dataFolder/postgres}, creating
     * or migrating it as the class comment says; {@code progress} gets one line per step worth telling.
     */
    static LocalDatabase start(Path dataFolder, int port, Path log, Consumer<String> progress) throws IOException {
        Path dir = dataFolder.resolve(DIRECTORY);
        Path passwordFile = dataFolder.resolve(PASSWORD_FILE);
        Path hba = dir.resolve("pg_hba.conf");
        refuseWhenStillRunning(dir);
        if (!Files.exists(dir.resolve("postgresql.conf"))) {
            String password = SecretFile.readOrCreate(passwordFile);
            progress.accept("PostgreSQL: new data directory " + dir + "; the superuser's password is in " + passwordFile);
            // zonky runs "initdb -A trust ... --KEY=VALUE" for each of these: the later --auth wins, and
            // --pwfile sets the password, so the database is password-only from its first start.
            EmbeddedPostgres pg = builder(dir, port, log, password)
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
                    .start();
            return new LocalDatabase(pg, password, passwordFile);
        }
        if (trustsConnections(hba)) {
            String password = SecretFile.readOrCreate(passwordFile);
            progress.accept("PostgreSQL: " + dir + " accepts connections without a password (an older hepstack): "
                    + "setting the superuser's password (kept in " + passwordFile + ") and requiring it");
            try (EmbeddedPostgres trusting = builder(dir, port, log, password).start();
                 Connection c = trusting.getPostgresDatabase(Map.of("password", password)).getConnection();
                 Statement s = c.createStatement()) {
                s.execute("SET password_encryption = 'scram-sha-256'");
                s.execute("ALTER ROLE " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
            } catch (SQLException e) {
                throw new IOException("setting the password of " + USER + " in " + dir + ": " + e.getMessage(), e);
            }
            replace(hba, PG_HBA);
            progress.accept("PostgreSQL: " + hba + " now requires the password; restarting PostgreSQL with it");
        }
        Optional<String> kept = SecretFile.read(passwordFile);
        if (kept.isEmpty()) {
            throw new IOException(passwordFile + " is missing, and PostgreSQL in " + dir + " requires that password. "
                    + "Restore the file; or, to have a new password set, write \"trust\" for \"scram-sha-256\" in "
                    + hba + " and start again");
        }
        return new LocalDatabase(builder(dir, port, log, kept.get()).start(), kept.get(), passwordFile);
    }

    private static EmbeddedPostgres.Builder builder(Path dir, int port, Path log, String password) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(120)) // crash recovery after a kill replays the WAL first
                .setOutputRedirector(Redirect.appendTo(log.toFile()))
                .setErrorRedirector(Redirect.appendTo(log.toFile()))
                .setConnectConfig("password", password)
                // zonky starts postgres with -F (fsync off) before these -c options; the later setting wins
                .setServerConfig("fsync", "on")
                // zonky's default is off: a commit would return before its WAL is written, and a crash within
                // ~0.6 s would lose messages the collector had already counted as stored
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
    }

    /** Whether any rule of {@code pg_hba.conf} has the method {@code trust} (what zonky's initdb writes). */
    static boolean trustsConnections(Path hba) throws IOException {
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            int hash = line.indexOf('#');
            String rule = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!rule.isEmpty() && List.of(rule.split("\\s+")).contains("trust")) {
                return true;
            }
        }
        return false;
    }

    /** A PostgreSQL left running on {@code dir} by an earlier run that was killed would make this start fail obscurely. */
    private static void refuseWhenStillRunning(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return; // half-written by a crash: PostgreSQL sorts that out
        }
        boolean running = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true))
                .orElse(false);
        if (running) {
            throw new IOException("PostgreSQL of an earlier run still runs on " + dir + " (pid " + pid
                    + "): stop it (kill " + pid + ") and start again");
        }
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(SecretFile.OWNER_ONLY));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    int port() {
        return pg.getPort();
    }

    String password() {
        return password;
    }

    Path passwordFile() {
        return passwordFile;
    }

    /** R2DBC URL of the database {@code postgres}, which holds the suite's tables. */
    String r2dbcUrl() {
        return "r2dbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
    }

    /** Fast shutdown (pg_ctl stop -m fast): open transactions are rolled back, everything committed is kept. */
    @Override
    public void close() throws IOException {
        pg.close();
    }
}
