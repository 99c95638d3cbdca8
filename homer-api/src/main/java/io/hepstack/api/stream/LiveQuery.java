package io.hepstack.api.stream;

import io.hepstack.api.query.Filter;
import io.hepstack.api.search.MessageItem;
import io.hepstack.api.query.Scope;
import io.hepstack.proto.query.Sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where one live stream stands: which row ids it may still have to stream. Not thread-safe: one
 * stream polls sequentially.
 *
 * <p>Row ids come from one sequence, but a writer's transaction may commit after a later writer's
 * (its rows carry lower ids), and ingest batches may carry capture times older than rows already
 * streamed. So a poll is not "ids above the highest seen" but "ids above the {@code floor}, minus the
 * ones already streamed": the floor is the highest visible id ({@link #topSql}) read at a poll at least
 * {@code lookback} ago, i.e. a row is missed only when its transaction becomes visible more than
 * {@code lookback} after a row with a higher id did. Streamed ids above the floor are remembered (at most {@code maxPending}; beyond
 * that the lowest are forgotten by raising the floor, and counted).
 */
final class LiveQuery {

    /** A streamed row: its {@code messages.id} and the search item sent. */
    record Row(long id, MessageItem item) {
    }

    private final List<Filter> filters;
    private final Scope scope;
    private final long lookbackMillis;
    private final int rowsPerPoll;
    private final int maxPending;
    private final TreeSet<Long> sent = new TreeSet<>();
    /** {@code [millis, highest visible id]} of recent polls, oldest first. */
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();
    private long floor;
    private long forgotten;

    /** A stream of the rows matching {@code filters} within {@code scope} (its principal's at stream start). */
    LiveQuery(List<Filter> filters, Scope scope, long floor, long lookbackMillis, int rowsPerPoll, int maxPending) {
        this.filters = List.copyOf(filters);
        this.scope = scope;
        this.floor = floor;
        this.lookbackMillis = lookbackMillis;
        this.rowsPerPoll = rowsPerPoll;
        this.maxPending = maxPending;
    }

    /** The highest visible id was {@code topId} at {@code nowMillis}: ids at or below it settle after the lookback. */
    void mark(long nowMillis, long topId) {
        marks.addLast(new long[] {nowMillis, topId});
        while (!marks.isEmpty() && marks.peekFirst()[0] <= nowMillis - lookbackMillis) {
            floor = Math.max(floor, marks.pollFirst()[1]);
        }
        sent.headSet(floor, true).clear();
    }

    /** Ids already present (at stream start): never streamed. */
    void skip(List<Long> ids) {
        for (long id : ids) {
            if (id > floor) {
                sent.add(id);
            }
        }
        trim();
    }

    /** Rows a poll returned: remembered so that later polls skip them. */
    List<MessageItem> accept(List<Row> rows) {
        List<MessageItem> items = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (r.id() > floor && sent.add(r.id())) {
                items.add(r.item());
            }
        }
        trim();
        return items;
    }

    private void trim() {
        while (sent.size() > maxPending) {
            floor = sent.pollFirst();
            forgotten++;
        }
    }

    /** Rows forgotten because more than {@code maxPending} were streamed within the lookback (since the last call). */
    long takeForgotten() {
        long n = forgotten;
        forgotten = 0;
        return n;
    }

    long floor() {
        return floor;
    }

    int pending() {
        return sent.size();
    }

    /** The poll: matching rows above the floor not streamed yet, lowest id first, at most {@code rowsPerPoll}. */
    Sql pollSql(Instant oldestCapture) {
        Sql s = new Sql();
        s.append("SELECT ").append(MessageItem.columns("")).append(" FROM messages WHERE ts >= ")
                .append(s.bind(OffsetDateTime.ofInstant(oldestCapture, ZoneOffset.UTC)))
                .append(" AND id > ").append(s.bind(floor));
        if (!sent.isEmpty()) {
            s.append(" AND id <> ALL(").append(s.bind(sent.toArray(new Long[0]))).append(")");
        }
        for (Filter f : filters) {
            f.appendTo(s, "");
        }
        scope.appendTo(s, "");
        s.append(" ORDER BY id LIMIT ").append(s.bind(rowsPerPoll));
        return s;
    }

    /** The ids of matching rows already stored at stream start in {@code (floor, upTo]}, to be skipped. */
    Sql presentSql(Instant oldestCapture, long upTo) {
        Sql s = new Sql();
        s.append("SELECT id FROM messages WHERE ts >= ").append(s.bind(OffsetDateTime.ofInstant(oldestCapture, ZoneOffset.UTC)))
                .append(" AND id > ").append(s.bind(floor)).append(" AND id <= ").append(s.bind(upTo));
        for (Filter f : filters) {
            f.appendTo(s, "");
        }
        scope.appendTo(s, "");
        s.append(" ORDER BY id DESC LIMIT ").append(s.bind(maxPending));
        return s;
    }

    /**
     * The highest id of the recent rows this node shows, the stream's mark: rows with ids at or below it that are
     * not visible yet belong to transactions still in flight (or not yet replayed, on a standby). Not the id
     * sequence: a standby reports the sequence up to 32 values ahead of use (PostgreSQL WAL-logs sequences ahead),
     * and ids never given would count as rows lost in flight. Reads each recent partition's key once, backwards.
     */
    static Sql topSql(Instant oldestCapture) {
        Sql s = new Sql();
        return s.append("SELECT coalesce(max(id), 0) AS v FROM messages WHERE ts >= ")
                .append(s.bind(OffsetDateTime.ofInstant(oldestCapture, ZoneOffset.UTC)));
    }
}
