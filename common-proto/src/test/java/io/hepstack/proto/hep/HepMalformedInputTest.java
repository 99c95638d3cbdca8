package io.hepstack.proto.hep;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.hepstack.proto.hep.HepRejectReason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every malformed datagram is rejected with its exact reason and a message naming what was expected. */
class HepMalformedInputTest {

    private final HepDecoder decoder = new HepDecoder();

    static Stream<Arguments> rejected() {
        return Stream.of(
                arguments("empty datagram", new byte[0], TRUNCATED_HEADER, "empty packet"),
                arguments("lone 0x01", new byte[]{1}, TRUNCATED_HEADER, "HEPv1 header cut: 1 bytes"),
                arguments("lone 0x02", new byte[]{2}, TRUNCATED_HEADER, "HEPv2 header cut: 1 bytes"),
                arguments("H", ascii("H"), TRUNCATED_HEADER, "HEPv3 header cut: 1 bytes (expected: 6)"),
                arguments("HE", ascii("HE"), TRUNCATED_HEADER, "HEPv3 header cut: 2 bytes"),
                arguments("HEP", ascii("HEP"), TRUNCATED_HEADER, "HEPv3 header cut: 3 bytes"),
                arguments("HEP3 alone", ascii("HEP3"), TRUNCATED_HEADER, "HEPv3 header cut: 4 bytes"),
                arguments("HEP3 and one length byte", ascii("HEP3\0"), TRUNCATED_HEADER, "HEPv3 header cut: 5 bytes"),
                arguments("first byte 0x03", new byte[]{3, 0, 0, 0}, UNKNOWN_VERSION, "first byte 0x03"),
                arguments("HEP4 magic", v3Raw(ascii("HEP4"), 6), UNKNOWN_VERSION, "magic \"HEP4\""),
                arguments("length field one larger than the datagram",
                        withTotal(valid(), valid().length + 1), LENGTH_MISMATCH,
                        "total length " + (valid().length + 1) + " (expected: " + valid().length),
                arguments("length field one smaller than the datagram",
                        withTotal(valid(), valid().length - 1), LENGTH_MISMATCH,
                        "total length " + (valid().length - 1)),
                arguments("chunk length 0", chunkWithLength(0), CHUNK_TOO_SHORT, "chunk 0x000b length 0 (expected: at least 6)"),
                arguments("chunk length 1", chunkWithLength(1), CHUNK_TOO_SHORT, "length 1 (expected: at least 6)"),
                arguments("chunk length 2", chunkWithLength(2), CHUNK_TOO_SHORT, "length 2"),
                arguments("chunk length 3", chunkWithLength(3), CHUNK_TOO_SHORT, "length 3"),
                arguments("chunk length 4", chunkWithLength(4), CHUNK_TOO_SHORT, "length 4"),
                arguments("chunk length 5", chunkWithLength(5), CHUNK_TOO_SHORT, "offset 6: chunk 0x000b length 5"),
                arguments("chunk running past the end", chunkWithLength(200), CHUNK_PAST_END,
                        "chunk 0x000b length 200 runs past the packet end"),
                arguments("chunk header cut", v3(chunk(0, 0x0b, 1), new byte[]{0, 0, 0}), CHUNK_PAST_END,
                        "chunk header cut, 3 bytes left (expected: 6)"),
                arguments("IPv4 address chunk of 3 bytes", v3(chunk(0, 0x03, 3), payload()), CHUNK_BAD_LENGTH,
                        "offset 6: chunk 0x0003 length 9 (expected: 10)"),
                arguments("port chunk of 1 byte", v3(chunk(0, 0x07, 1), payload()), CHUNK_BAD_LENGTH,
                        "chunk 0x0007 length 7 (expected: 8)"),
                arguments("IPv6 address chunk of 15 bytes", v3(chunk(0, 0x05, 15), payload()), CHUNK_BAD_LENGTH,
                        "chunk 0x0005 length 21 (expected: 22)"),
                arguments("timestamp chunk of 8 bytes", v3(chunk(0, 0x09, 8), payload()), CHUNK_BAD_LENGTH,
                        "chunk 0x0009 length 14 (expected: 10)"),
                arguments("no payload chunk", v3(chunk(0, 0x0b, 1)), MISSING_PAYLOAD, "no payload chunk"),
                arguments("IP family 7", v3(chunkValue(0, 0x01, new byte[]{7}), payload()), BAD_IP_FAMILY,
                        "IP family 7 (expected: 2 or 10)"),
                arguments("IPv4 family with IPv6 addresses",
                        v3(chunkValue(0, 0x01, new byte[]{2}), chunk(0, 0x05, 16), payload()), BAD_IP_FAMILY,
                        "IP family 2 but addresses are IPv6"),
                arguments("IPv4 and IPv6 address chunks", v3(chunk(0, 0x03, 4), chunk(0, 0x06, 16), payload()),
                        BAD_IP_FAMILY, "both IPv4 and IPv6"),
                arguments("gzip chunk that is not gzip", v3(chunkValue(0, 0x10, ascii("not gzip"))),
                        BAD_COMPRESSED_PAYLOAD, "chunk 0x0010 is not valid gzip"),
                arguments("HEPv1 cut inside the addresses", new byte[]{1, 16, 2, 17, 0, 1, 0, 2, 1, 1},
                        TRUNCATED_HEADER, "HEPv1 header cut: 10 bytes (expected: at least 16)"),
                arguments("HEPv1 header length 15", new byte[]{1, 15, 2, 17, 0, 1, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2, 'x'},
                        BAD_HEADER_LENGTH, "header length 15 (expected: 16 for IPv4)"),
                arguments("HEPv1 IPv6 with header length 16", new byte[]{1, 16, 10, 17, 0, 1, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2},
                        BAD_HEADER_LENGTH, "header length 16 (expected: 40 for IPv6)"),
                arguments("HEPv1 family 5", new byte[]{1, 16, 5, 17}, BAD_IP_FAMILY, "IP family 5 (expected: 2 or 10)"),
                arguments("HEPv1 without payload", new byte[]{1, 16, 2, 17, 0, 1, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2},
                        MISSING_PAYLOAD, "without payload"),
                arguments("HEPv2 cut inside the time header",
                        new byte[]{2, 16, 2, 17, 0, 1, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0},
                        TRUNCATED_HEADER, "HEPv2 header cut: 20 bytes (expected: at least 28)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheExactReason(String name, byte[] datagram, HepRejectReason reason, String detail) {
        assertThatThrownBy(() -> decoder.decode(datagram))
                .isInstanceOfSatisfying(HepDecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(detail);
    }

    @org.junit.jupiter.api.Test
    void acceptsTheLargestUdpDatagramOf65507Bytes() throws Exception {
        byte[] payload = new byte[65_507 - 6 - 6];
        payload[0] = 'X';
        byte[] datagram = v3(chunkValue(0, 0x0f, payload));
        assertThat(datagram).hasSize(65_507);
        assertThat(decoder.decode(datagram).payload()).isEqualTo(payload);
    }

    @org.junit.jupiter.api.Test
    void keepsNonUtf8AndNulBytesOfThePayloadExactly() throws Exception {
        byte[] payload = {'I', 'N', 'V', 0, (byte) 0xff, (byte) 0xc3, 0x28, '\r', '\n'};
        assertThat(decoder.decode(v3(chunkValue(0, 0x0f, payload))).payload()).isEqualTo(payload);
    }

    // ---- builders: HEP3 header + chunks, lengths computed unless a test overrides them ----

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A chunk header announcing a body of {@code bodyLen} bytes, followed by that many zero bytes. */
    static byte[] chunk(int vendor, int type, int bodyLen) {
        return chunkValue(vendor, type, new byte[bodyLen]);
    }

    static byte[] chunkValue(int vendor, int type, byte[] body) {
        return ByteBuffer.allocate(6 + body.length).putShort((short) vendor).putShort((short) type)
                .putShort((short) (6 + body.length)).put(body).array();
    }

    static byte[] payload() {
        return chunkValue(0, 0x0f, ascii("OPTIONS sip:x SIP/2.0\r\n\r\n"));
    }

    static byte[] v3(byte[]... chunks) {
        return v3Raw(ascii("HEP3"), 6 + HepPackets.concat(chunks).length, chunks);
    }

    static byte[] v3Raw(byte[] magic, int total, byte[]... chunks) {
        byte[] body = HepPackets.concat(chunks);
        return ByteBuffer.allocate(6 + body.length).put(magic).putShort((short) total).put(body).array();
    }

    static byte[] valid() {
        return v3(chunkValue(0, 0x0b, new byte[]{1}), payload());
    }

    static byte[] withTotal(byte[] datagram, int total) {
        byte[] copy = datagram.clone();
        ByteBuffer.wrap(copy).putShort(4, (short) total);
        return copy;
    }

    /** A packet whose first chunk (type 0x000b) announces {@code length}, with a payload chunk after it. */
    static byte[] chunkWithLength(int length) {
        byte[] datagram = valid();
        ByteBuffer.wrap(datagram).putShort(6 + 4, (short) length);
        return datagram;
    }
}
