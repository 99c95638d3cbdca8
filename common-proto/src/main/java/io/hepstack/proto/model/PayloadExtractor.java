package io.hepstack.proto.model;

import io.hepstack.proto.hep.HepPacket;

/**
 * Reads one protocol family's payloads: turns a decoded packet into the stored message, an
 * {@link Envelope} and the family's typed {@link MessagePart}. Each {@link HepPayloadType} names its
 * extractor; one without a family of its own stores its payload as bytes ({@link #OPAQUE}).
 * Implementations never throw for any payload (what they cannot read is kept opaque) and are stateless.
 */
@FunctionalInterface
interface PayloadExtractor {

    /** The payload as its bytes, with the packet's correlation id: every type without a family of its own. */
    PayloadExtractor OPAQUE = (packet, type, settings) ->
            Extras.row(packet, type.kind(), packet.correlationId(), MessagePart.OPAQUE, Extras.NONE);

    /** The stored message of {@code packet}, whose payload type is {@code type}. */
    CapturedMessage extract(HepPacket packet, HepPayloadType type, ExtractionSettings settings);
}
