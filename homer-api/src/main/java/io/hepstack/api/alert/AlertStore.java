package io.hepstack.api.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.api.web.Times;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Alerts in {@code homer_api.alerts}: stored idempotently per occurrence (fingerprint and start), listed
 * firing first, scoped to a tenant by the alert's {@code node} label.
 */
@Repository
class AlertStore {

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "a.id, a.fingerprint, a.status, a.alertname, a.severity, a.node, a.starts_at, "
            + "a.ends_at, a.labels::text AS labels, a.annotations::text AS annotations, a.generator_url, a.received_at, a.updated_at";

    private final DatabaseClient db;
    private final ObjectMapper json;

    AlertStore(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A stored alert, as the API shows it; {@code endsAt} null while firing. */
    record StoredAlert(long id, String fingerprint, String status, String alertname, String severity, String node,
                       Instant startsAt, Instant endsAt, Map<String, String> labels, Map<String, String> annotations,
                       String generatorUrl, Instant receivedAt, Instant updatedAt) {
    }

    /**
     * Stores {@code alerts} in one statement: new occurrences inserted, known ones updated (status, end,
     * annotations); a resolved occurrence stays resolved whatever arrives later for it. Emits how many
     * rows were inserted or updated.
     */
    Mono<Long> store(List<AlertOccurrence> alerts) {
        if (alerts.isEmpty()) {
            return Mono.just(0L);
        }
        int n = alerts.size();
        String[] fingerprint = new String[n], startsAt = new String[n], endsAt = new String[n], status = new String[n],
                alertname = new String[n], severity = new String[n], node = new String[n], labels = new String[n],
                annotations = new String[n], generator = new String[n];
        for (int i = 0; i < n; i++) {
            AlertOccurrence a = alerts.get(i);
            fingerprint[i] = a.fingerprint();
            startsAt[i] = Times.format(a.startsAt());
            endsAt[i] = a.endsAt() == null ? null : Times.format(a.endsAt());
            status[i] = a.status().code();
            alertname[i] = a.labels().get("alertname");
            severity[i] = a.labels().get("severity");
            node[i] = a.labels().get(AlertOccurrence.NODE_LABEL);
            labels[i] = write(a.labels());
            annotations[i] = write(a.annotations());
            generator[i] = a.generatorUrl();
        }
        Sql s = new Sql();
        s.append("INSERT INTO homer_api.alerts AS a (fingerprint, starts_at, ends_at, status, alertname, severity, node, ")
                .append("labels, annotations, generator_url) SELECT f, s::timestamptz, e::timestamptz, st, an, sv, nd, l::jsonb, ")
                .append("ann::jsonb, g FROM unnest(")
                .append(String.join(", ", s.bind(fingerprint) + "::text[]", s.bind(startsAt) + "::text[]",
                        s.bind(endsAt) + "::text[]", s.bind(status) + "::text[]", s.bind(alertname) + "::text[]",
                        s.bind(severity) + "::text[]", s.bind(node) + "::text[]", s.bind(labels) + "::text[]",
                        s.bind(annotations) + "::text[]", s.bind(generator) + "::text[]"))
                .append(") AS x(f, s, e, st, an, sv, nd, l, ann, g)")
                .append(" ON CONFLICT ON CONSTRAINT alerts_occurrence_unique DO UPDATE SET")
                .append(" status = CASE WHEN a.status = 'resolved' THEN a.status ELSE EXCLUDED.status END,")
                .append(" ends_at = CASE WHEN a.status = 'resolved' THEN a.ends_at ELSE EXCLUDED.ends_at END,")
                .append(" annotations = CASE WHEN a.status = 'resolved' THEN a.annotations ELSE EXCLUDED.annotations END,")
                .append(" generator_url = EXCLUDED.generator_url, updated_at = now()");
        return Statements.on(s, db).fetch().rowsUpdated();
    }

    /**
     * Deletes what retention no longer keeps: alerts resolved before {@code before}, and firing ones not
     * delivered again since (Alertmanager repeats firing alerts; one never resolved is stale). At most
     * 10,000 rows a call, so a delivery never waits on a large purge.
     */
    Mono<Long> purge(Instant before) {
        return db.sql("DELETE FROM homer_api.alerts WHERE id IN (SELECT id FROM homer_api.alerts "
                        + "WHERE ends_at < $1 OR (status = 'firing' AND updated_at < $1) LIMIT 10000)")
                .bind(0, before).fetch().rowsUpdated();
    }

    /** Alerts matching {@code q} within {@code scope}: firing first, then by start, newest first. */
    Flux<StoredAlert> list(AlertQuery q, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT ").append(COLUMNS).append(" FROM homer_api.alerts a WHERE a.starts_at < ")
                .append(s.bind(q.to())).append(" AND (a.ends_at IS NULL OR a.ends_at >= ").append(s.bind(q.from())).append(")");
        if (q.status() != null) {
            s.append(" AND a.status = ").append(s.bind(q.status().code()));
        }
        if (q.severity() != null) {
            s.append(" AND a.severity = ").append(s.bind(q.severity()));
        }
        if (q.node() != null) {
            s.append(" AND a.node = ").append(s.bind(q.node()));
        }
        appendScope(s, scope);
        s.append(" ORDER BY a.status = 'firing' DESC, a.starts_at DESC, a.id DESC LIMIT ").append(s.bind(q.limit()));
        return Statements.on(s, db).map(this::alert).all();
    }

    /** How many alerts are firing now within {@code scope} (the UI's badge). */
    Mono<Long> firing(Scope scope) {
        Sql s = new Sql();
        s.append("SELECT count(*) AS n FROM homer_api.alerts a WHERE a.status = 'firing'");
        appendScope(s, scope);
        return Statements.on(s, db).map(r -> r.get("n", Long.class)).one();
    }

    /** Alert {@code id}, empty when there is none or it is outside {@code scope}. */
    Mono<StoredAlert> find(long id, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT ").append(COLUMNS).append(" FROM homer_api.alerts a WHERE a.id = ").append(s.bind(id));
        appendScope(s, scope);
        return Statements.on(s, db).map(this::alert).one();
    }

    /** A tenant sees the alerts about its capture nodes; an alert without a node label only unscoped callers. */
    private static void appendScope(Sql s, Scope scope) {
        if (!scope.all()) {
            s.append(" AND a.node = ANY(").append(s.bind(scope.nodes().toArray(String[]::new))).append("::text[])");
        }
    }

    private StoredAlert alert(Readable r) {
        OffsetDateTime ends = r.get("ends_at", OffsetDateTime.class);
        return new StoredAlert(r.get("id", Long.class), r.get("fingerprint", String.class), r.get("status", String.class),
                r.get("alertname", String.class), r.get("severity", String.class), r.get("node", String.class),
                r.get("starts_at", OffsetDateTime.class).toInstant(), ends == null ? null : ends.toInstant(),
                read(r.get("labels", String.class)), read(r.get("annotations", String.class)),
                r.get("generator_url", String.class), r.get("received_at", OffsetDateTime.class).toInstant(),
                r.get("updated_at", OffsetDateTime.class).toInstant());
    }

    private String write(Map<String, String> map) {
        try {
            return json.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return json.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
