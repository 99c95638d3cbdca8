package io.hepstack.api.store;

import io.hepstack.proto.store.SchemaMigrator;
import io.hepstack.proto.testing.ChildProcess;
import io.hepstack.proto.testing.DebianPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary and its hot standby of Debian's PostgreSQL 15 on free loopback ports, in a temporary directory:
 * the standby made with {@code pg_basebackup -R} (streaming replication), database {@link #DATABASE} with the
 * hepstack schema, {@code pg_stat_statements} loaded on both so that a test counts each node's statements.
 */
final class StreamingReplica implements AutoCloseable {

    static final String DATABASE = "homer";
    private static final Duration STEP = Duration.ofSeconds(120);

    private final Path dir = DebianPostgres.directory("hepstack-replica-");
    private final List<String> started = new ArrayList<>();
    final int primaryPort;
    final int standbyPort;

    private StreamingReplica() throws Exception {
        List<Integer> ports = new ArrayList<>();
        primaryPort = ChildProcess.freePort(ports);
        standbyPort = ChildProcess.freePort(ports);
    }

    /** Starts the primary, migrates it, then makes and starts the standby. */
    static StreamingReplica start() throws Exception {
        DebianPostgres.require("pg_basebackup", "postgresql-15");
        StreamingReplica pair = new StreamingReplica();
        try {
            pair.boot();
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        DebianPostgres.run(dir, STEP, "initdb", "-D", dir.resolve("primary").toString(), "-E", "UTF8", "--locale=C",
                "-A", "trust");
        serve("primary", primaryPort);
        try (Connection c = DebianPostgres.open(primaryPort, "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = DebianPostgres.open(primaryPort, DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
        }
        new SchemaMigrator("jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + DATABASE, DebianPostgres.superuser(), "")
                .migrate();
        DebianPostgres.run(dir, STEP, "pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primaryPort),
                "-D", dir.resolve("standby").toString(), "-R", "-X", "stream", "--checkpoint=fast");
        serve("standby", standbyPort);
    }

    private void serve(String name, int port) throws Exception {
        DebianPostgres.run(dir, STEP, "pg_ctl", "-D", dir.resolve(name).toString(), "-l", dir.resolve(name + ".log").toString(),
                "-w", "-t", "120", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c shared_preload_libraries=pg_stat_statements -c fsync=off -c max_connections=50", "start");
        started.add(name);
    }

    /** {@code r2dbc:postgresql://} URL of the primary. */
    String primaryUrl() {
        return "r2dbc:postgresql://127.0.0.1:" + primaryPort + "/" + DATABASE;
    }

    /** The reads' URL: the standby first, the primary when no standby answers. */
    String readUrl() {
        return "r2dbc:postgresql:failover://127.0.0.1:" + standbyPort + ",127.0.0.1:" + primaryPort + "/" + DATABASE
                + "?targetServerType=preferSecondary";
    }

    Connection openPrimary() throws SQLException {
        return DebianPostgres.open(primaryPort, DATABASE);
    }

    Connection openStandby() throws SQLException {
        return DebianPostgres.open(standbyPort, DATABASE);
    }

    static long query(Connection c, String sql) throws SQLException {
        try (c; Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (c; Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            DebianPostgres.run(dir, STEP, "pg_ctl", "-D", dir.resolve(started.get(i)).toString(), "-m", "fast", "-w", "stop");
        }
        DebianPostgres.remove(dir);
    }
}
