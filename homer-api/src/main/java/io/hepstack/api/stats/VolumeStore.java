package io.hepstack.api.stats;

import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes {@link VolumeReport} with one aggregate over the SIP kinds' time-pruned partitions
 * ({@code call}, {@code registration}, {@code sip_other}), grouped by bucket.
 */
@Repository
public class VolumeStore {

    /** Methods counted on their own; any other request counts as {@code OTHER}. */
    public static final List<String> METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS");

    private final DatabaseClient db;

    public VolumeStore(DatabaseClient db) {
        this.db = db;
    }

    static Sql volumeSql(StatsRequest r, Scope scope) {
        Sql s = new Sql();
        String from = s.bind(KpiStore.utc(r.from()));
        s.append("SELECT floor(extract(epoch FROM ts - ").append(from).append(") / ").append(s.bind(r.stepSeconds()))
                .append(")::int AS bucket, count(*) AS total");
        for (int i = 0; i < METHODS.size(); i++) {
            s.append(", count(*) FILTER (WHERE method = '").append(METHODS.get(i)).append("') AS m").append(Integer.toString(i));
        }
        s.append(", count(*) FILTER (WHERE method IS NOT NULL AND method NOT IN ('")
                .append(String.join("', '", METHODS)).append("')) AS m_other");
        for (int c = 1; c <= 6; c++) {
            s.append(", count(*) FILTER (WHERE status BETWEEN ").append(Integer.toString(c * 100)).append(" AND ")
                    .append(Integer.toString(c * 100 + 99)).append(") AS s").append(Integer.toString(c));
        }
        s.append(" FROM messages WHERE kind IN ('call', 'registration', 'sip_other') AND ts >= ").append(from)
                .append(" AND ts < ").append(s.bind(KpiStore.utc(r.to())));
        if (!r.nodes().isEmpty()) {
            s.append(" AND node = ANY(").append(s.bind(r.nodes().toArray(new String[0]))).append(")");
        }
        scope.appendTo(s, "");
        s.append(" GROUP BY 1");
        return s;
    }

    /** The volume of {@code request}, counting the messages within {@code scope} only. */
    public Mono<VolumeReport> volume(StatsRequest request, Scope scope) {
        return Statements.on(volumeSql(request, scope), db).map(r -> Map.entry(r.get("bucket", Integer.class), counts(r))).all().collectList()
                .map(rows -> {
                    long[][] buckets = new long[request.buckets()][];
                    for (Map.Entry<Integer, long[]> e : rows) {
                        if (e.getKey() != null && e.getKey() >= 0 && e.getKey() < buckets.length) {
                            buckets[e.getKey()] = e.getValue();
                        }
                    }
                    List<VolumeReport.Point> series = new ArrayList<>(buckets.length);
                    for (int i = 0; i < buckets.length; i++) {
                        series.add(point(request, i, buckets[i] == null ? new long[1 + METHODS.size() + 1 + 6] : buckets[i]));
                    }
                    return new VolumeReport(request.from(), request.to(), request.stepSeconds(), request.nodes(), series);
                });
    }

    /** total, one per method, other, six reply classes. */
    private static long[] counts(Readable r) {
        long[] c = new long[1 + METHODS.size() + 1 + 6];
        int k = 0;
        c[k++] = r.get("total", Long.class);
        for (int i = 0; i < METHODS.size(); i++) {
            c[k++] = r.get("m" + i, Long.class);
        }
        c[k++] = r.get("m_other", Long.class);
        for (int i = 1; i <= 6; i++) {
            c[k++] = r.get("s" + i, Long.class);
        }
        return c;
    }

    private static VolumeReport.Point point(StatsRequest request, int bucket, long[] c) {
        Map<String, Long> methods = new LinkedHashMap<>();
        int k = 1;
        for (String m : METHODS) {
            methods.put(m, c[k++]);
        }
        methods.put("OTHER", c[k++]);
        Map<String, Long> statuses = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            statuses.put(i + "xx", c[k++]);
        }
        return new VolumeReport.Point(request.bucket(bucket), c[0], methods, statuses);
    }
}
