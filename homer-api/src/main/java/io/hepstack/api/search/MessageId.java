package io.hepstack.api.search;

import io.hepstack.proto.model.MessageKind;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;

/**
 * The public id of a stored message: its row id, capture time and kind, packed into 17 bytes and
 * written as 23 base64url characters. With all three, fetching a message prunes to one time
 * partition of one kind and probes its primary key once (docs/schema.md, "Addressing one message").
 *
 * @param rowId  {@code messages.id}
 * @param tsMicros {@code messages.ts} in microseconds since the epoch
 * @param kind   {@code messages.kind}
 */
public record MessageId(long rowId, long tsMicros, MessageKind kind) {

    private static final int BYTES = 17;

    public String encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).putLong(rowId).putLong(tsMicros).put((byte) kind.ordinal());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The id of a public id string, or {@code null} when it is not one. */
    public static MessageId decode(String id) {
        if (id == null || id.length() != 23) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long rowId = b.getLong();
        long ts = b.getLong();
        int kind = b.get() & 0xFF;
        if (kind >= MessageKind.values().length || ts < 0 || !id.equals(new MessageId(rowId, ts, MessageKind.values()[kind]).encode())) {
            return null;
        }
        return new MessageId(rowId, ts, MessageKind.values()[kind]);
    }

    public Instant timestamp() {
        return io.hepstack.api.web.Times.ofMicros(tsMicros);
    }
}
