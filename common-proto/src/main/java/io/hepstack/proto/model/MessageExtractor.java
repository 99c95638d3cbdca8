package io.hepstack.proto.model;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.proto.hep.HepChunk;
import io.hepstack.proto.hep.HepPacket;

import java.io.IOException;
import java.util.List;

/**
 * Turns a decoded {@link HepPacket} into the {@link CapturedMessage} stored for it, with the extractor of
 * its payload type's protocol family ({@link HepPayloadType}): SIP parsed for its columns, a log line's
 * level, any other payload kept as its bytes. Every message has the packet's {@link Envelope}; the
 * correlation id is HEP chunk 0x0011, else what the family names (for SIP the first configured A-leg
 * header with a value, else the Call-ID).
 *
 * <p>Never throws for any packet: a payload its family cannot read, or malformed SIP, is kept with its
 * raw bytes ({@link MessagePart#OPAQUE}, and for SIP the reason in {@code extra.sipError}). SIP damaged at
 * its end is stored with the fields of its complete header lines and the damage in {@code extra.sipError}.
 * Stateless and thread-safe.
 */
public final class MessageExtractor {

    private final ExtractionSettings settings;

    public MessageExtractor(ExtractionSettings settings) {
        this.settings = settings;
    }

    /** The stored message of {@code packet}. */
    public CapturedMessage extract(HepPacket packet) {
        HepPayloadType type = HepPayloadType.valueOf(packet.protoType());
        return type.extractor().extract(packet, type, settings);
    }

    /** The kind of a SIP message by its CSeq method: calls, registrations, the rest. */
    public static MessageKind sipKind(String cseqMethod) {
        if (cseqMethod == null) {
            return MessageKind.SIP_OTHER;
        }
        return switch (cseqMethod) {
            case "INVITE", "ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO", "REFER" -> MessageKind.SIP_CALL;
            case "REGISTER" -> MessageKind.SIP_REGISTRATION;
            default -> MessageKind.SIP_OTHER;
        };
    }

    /** The kind of a HEP payload type as {@link HepPayloadType} records it; SIP's is refined by {@link #sipKind}. */
    public static MessageKind kindOf(int protoType) {
        return HepPayloadType.valueOf(protoType).kind();
    }

    /**
     * Raw HEP chunks as the JSON array field {@code field}: {@code [{"vendor": 0, "type": 32, "hex": "0a0b"}, ...]},
     * the form stored in {@code extra} and printed by {@code hep-tools decode}.
     */
    public static void writeChunks(JsonGenerator g, String field, List<HepChunk> chunks) throws IOException {
        Extras.writeChunks(g, field, chunks);
    }
}
