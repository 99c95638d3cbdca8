package io.hepstack.proto.testing;


import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A pg_auto_failover formation on the loopback (Debian's PostgreSQL 15 and {@code pg_autoctl}): a monitor
 * and two data nodes, {@code a} then {@code b}, with synchronous replication (pg_autoctl's default with one
 * standby: {@code synchronous_standby_names = 'ANY 1 (...)'}, {@code synchronous_commit = on}), each in a
 * temporary directory on a port free at start, database {@link #DATABASE}.
 *
 * <p>The monitor checks the nodes every second, considers one unhealthy after 2 s without an answer and
 * gives an unreachable primary 2 s to demote itself (defaults: 5 s, 20 s and 30 s), so that a failover
 * takes seconds, not a minute.
 */
public final class AutoFailoverCluster implements AutoCloseable {

    public static final String DATABASE = "homer";

    private static final Duration READY = Duration.ofSeconds(90);

    private final Path dir = DebianPostgres.directory("hepstack-failover-");
    private final List<ChildProcess> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private int monitorPort;
    private String monitorUri;
    private Node a;
    private Node b;

    /** A data node: its name, port and pg_autoctl process (with its PostgreSQL). */
    public record Node(String name, int port, ChildProcess process) {
    }

    private AutoFailoverCluster() {
    }

    /** Starts the monitor and both nodes; returns once {@code a} is primary and {@code b} its synchronous standby. */
    public static AutoFailoverCluster start() throws Exception {
        AutoFailoverCluster cluster = new AutoFailoverCluster();
        try {
            cluster.boot();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        DebianPostgres.require("pg_autoctl", "postgresql-15-auto-failover");
        DebianPostgres.require("postgres", "postgresql-15");
        monitorPort = ChildProcess.freePort(ports);
        monitorUri = "postgres://autoctl_node@127.0.0.1:" + monitorPort + "/pg_auto_failover?sslmode=disable";
        ChildProcess monitor = DebianPostgres.start(dir, "monitor", "pg_autoctl", "create", "monitor",
                "--pgdata", dir.resolve("monitor").toString(), "--pgport", String.valueOf(monitorPort),
                "--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl", "--run");
        processes.add(monitor);
        awaitQuery(monitor, monitorPort, "pg_auto_failover", "SELECT count(*) FROM pgautofailover.formation", 1);
        try (Connection c = DebianPostgres.open(monitorPort, "pg_auto_failover"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET pgautofailover.health_check_period = 1000");
            s.execute("ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000");
            s.execute("ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500");
            s.execute("ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 2000");
            // how long the monitor waits for an unreachable primary to demote itself before the standby takes
            // writes (default 30 s): a killed primary never does
            s.execute("ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 2000");
            s.execute("SELECT pg_reload_conf()");
        }
        a = node("a");
        awaitState("a", "single");
        try (Connection c = DebianPostgres.open(a.port, DATABASE); Statement s = c.createStatement()) {
            // pg_basebackup of the standby waits for a checkpoint: spread over minutes by default
            s.execute("ALTER SYSTEM SET checkpoint_completion_target = 0");
            s.execute("SELECT pg_reload_conf()");
        }
        b = node("b");
        awaitState("a", "primary");
        awaitState("b", "secondary");
    }

    private Node node(String name) throws IOException {
        int port = ChildProcess.freePort(ports);
        ChildProcess p = DebianPostgres.start(dir, name, "pg_autoctl", "create", "postgres",
                "--pgdata", dir.resolve(name).toString(), "--pgport", String.valueOf(port), "--listen", "127.0.0.1",
                "--hostname", "127.0.0.1", "--name", name, "--dbname", DATABASE, "--monitor", monitorUri,
                "--auth", "trust", "--no-ssl", "--run");
        processes.add(p);
        return new Node(name, port, p);
    }

    public Node a() {
        return a;
    }

    public Node b() {
        return b;
    }

    /** The writers' URL: both nodes, the primary only, its state rechecked after 1 s (default 10 s). */
    public String primaryUrl() {
        return "r2dbc:postgresql:failover://127.0.0.1:" + a.port + ",127.0.0.1:" + b.port + "/" + DATABASE
                + "?targetServerType=primary&hostRecheckTime=1s";
    }

    /** The reads' URL: the standby first, the primary when no standby answers (homer-api's {@code homer.api.read.url}). */
    public String readUrl() {
        return "r2dbc:postgresql:failover://127.0.0.1:" + b.port + ",127.0.0.1:" + a.port + "/" + DATABASE
                + "?targetServerType=preferSecondary&hostRecheckTime=1s";
    }

    /** SIGKILL to the node's pg_autoctl and PostgreSQL processes at once, as when its machine dies. */
    public void kill(Node node) {
        node.process.kill();
    }

    /** Whether the node's PostgreSQL accepts writes (false while it is a standby or unreachable). */
    public static boolean acceptsWrites(Node node) {
        try (Connection c = DebianPostgres.open(node.port, DATABASE); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return r.next() && r.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The state the monitor last heard from the node ({@code single}, {@code primary}, {@code secondary}...). */
    public String reportedState(String node) throws SQLException {
        try (Connection c = DebianPostgres.open(monitorPort, "pg_auto_failover");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT reportedstate FROM pgautofailover.node WHERE nodename = '" + node + "'")) {
            return r.next() ? r.getString(1) : "";
        }
    }

    private void awaitState(String node, String state) throws Exception {
        long end = System.nanoTime() + READY.toNanos();
        while (!state.equals(reportedState(node))) {
            processes.forEach(ChildProcess::assertAlive);
            if (System.nanoTime() > end) {
                throw new AssertionError("node " + node + " not " + state + " after " + READY + " (" + reportedState(node)
                        + "):\n" + processes.get(processes.size() - 1).output());
            }
            Thread.sleep(200);
        }
    }

    private static void awaitQuery(ChildProcess p, int port, String database, String sql, long expected) throws Exception {
        long end = System.nanoTime() + READY.toNanos();
        while (true) {
            try (Connection c = DebianPostgres.open(port, database); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery(sql)) {
                if (r.next() && r.getLong(1) == expected) {
                    return;
                }
            } catch (SQLException notYet) {
                // starting
            }
            p.assertAlive();
            if (System.nanoTime() > end) {
                throw new AssertionError(p.name() + ": no answer to " + sql + " after " + READY + ":\n" + p.output());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws Exception {
        // every node at once, fast (SIGTERM would be PostgreSQL's smart shutdown, waiting for every client)
        List<ChildProcess> stops = new ArrayList<>();
        for (ChildProcess p : processes) {
            if (p.isAlive()) {
                stops.add(DebianPostgres.start(dir, "stop-" + p.name(), "pg_autoctl", "stop", "--fast",
                        "--pgdata", dir.resolve(p.name()).toString()));
            }
        }
        for (ChildProcess stop : stops) {
            stop.await(Duration.ofSeconds(30));
            stop.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        DebianPostgres.remove(dir);
    }
}
