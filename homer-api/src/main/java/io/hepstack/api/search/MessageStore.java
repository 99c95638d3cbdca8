package io.hepstack.api.search;

import io.hepstack.api.query.Cursor;
import io.hepstack.api.query.Filter;
import io.hepstack.api.query.Scope;
import io.hepstack.api.query.Statements;
import io.hepstack.proto.query.Sql;
import io.hepstack.api.web.Times;
import io.hepstack.proto.model.HepPayloadType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Message searches and single-message reads on {@code messages}, written as docs/schema.md says:
 * a time range on {@code ts} always (partition pruning, BRIN), filters that imply the partial
 * indexes' predicates, one message by {@code id, ts, kind}.
 */
@Repository
public class MessageStore {

    private final DatabaseClient db;

    public MessageStore(DatabaseClient db) {
        this.db = db;
    }

    /** A page of search results, newest first, and the cursor of the next page (or {@code null}). */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    /** Messages matching {@code request} within {@code scope}, newest first. */
    public Mono<Page<MessageItem>> search(SearchRequest request, Scope scope) {
        Sql s = searchSql(request, scope);
        return Statements.on(s, db).map(MessageItem::of).all().collectList().map(rows -> {
            if (rows.size() <= request.limit()) {
                return new Page<>(rows, null);
            }
            List<MessageItem> page = rows.subList(0, request.limit());
            MessageItem last = page.get(page.size() - 1);
            MessageId id = last.messageId();
            return new Page<>(List.copyOf(page), new Cursor('m', id.tsMicros(), Long.toString(id.rowId())).encode());
        });
    }

    /** The statement of {@link #search}. */
    static Sql searchSql(SearchRequest request, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT ").append(MessageItem.columns("")).append(" FROM messages WHERE ts >= ")
                .append(s.bind(utc(request.from()))).append(" AND ts < ").append(s.bind(utc(request.to())));
        if (request.cursor() != null) {
            Cursor c = Cursor.decode(request.cursor(), 'm');
            String ts = s.bind(utc(Times.ofMicros(c.tsMicros())));
            s.append(" AND ts <= ").append(ts).append(" AND (ts < ").append(ts).append(" OR id < ")
                    .append(s.bind(c.rowId())).append(")");
        }
        for (Filter f : request.filters()) {
            f.appendTo(s, "");
        }
        scope.appendTo(s, "");
        s.append(" ORDER BY ts DESC, id DESC LIMIT ").append(s.bind(request.limit() + 1));
        return s;
    }

    /** The statement of {@link #find}: one partition, one primary-key probe. */
    static Sql findSql(MessageId id, Scope scope) {
        Sql s = new Sql();
        s.append("SELECT ").append(MessageItem.columns("")).append(", ").append(Payloads.COLUMNS)
                .append(", extra::text AS extra FROM messages WHERE id = ").append(s.bind(id.rowId()))
                .append(" AND ts = ").append(s.bind(utc(id.timestamp()))).append(" AND kind = ").append(s.bind(id.kind().code()));
        scope.appendTo(s, "");
        return s;
    }

    /** One message with payload and headers, empty when there is no such message within {@code scope}. */
    public Mono<MessageDetail> find(MessageId id, Scope scope) {
        Sql s = findSql(id, scope);
        return Statements.on(s, db).map(r -> {
            MessageItem item = MessageItem.of(r);
            byte[] payload = Payloads.bytes(r);
            String[] raw = Payloads.raw(r, payload);
            Payloads.Parsed parsed = item.protoType() != null && item.protoType() == HepPayloadType.SIP.number() ? Payloads.headers(payload)
                    : new Payloads.Parsed(java.util.Map.of(), null);
            return new MessageDetail(item, raw[0], raw[1], parsed.headers(), parsed.error(),
                    r.get("agent_ts_us", Long.class), r.get("extra", String.class));
        }).one();
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
