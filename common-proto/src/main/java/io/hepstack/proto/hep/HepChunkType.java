package io.hepstack.proto.hep;

/**
 * The generic (vendor 0) HEP3 chunk types with a settled layout, each with its body size
 * ({@link #VARIABLE} for byte strings). Secondary types (0x000d, 0x0014 upwards) are deliberately
 * absent: they are kept raw (HEP.md: "treat their exact layout as to be confirmed").
 */
public enum HepChunkType {
    IP_FAMILY(0x0001, 1),
    IP_PROTO(0x0002, 1),
    IPV4_SRC(0x0003, 4),
    IPV4_DST(0x0004, 4),
    IPV6_SRC(0x0005, 16),
    IPV6_DST(0x0006, 16),
    SRC_PORT(0x0007, 2),
    DST_PORT(0x0008, 2),
    TS_SEC(0x0009, 4),
    TS_USEC(0x000a, 4),
    PROTO_TYPE(0x000b, 1),
    CAPTURE_ID(0x000c, 4),
    AUTH_KEY(0x000e, HepChunkType.VARIABLE),
    PAYLOAD(0x000f, HepChunkType.VARIABLE),
    PAYLOAD_GZIP(0x0010, HepChunkType.VARIABLE),
    CORRELATION_ID(0x0011, HepChunkType.VARIABLE),
    VLAN(0x0012, 2),
    NODE_NAME(0x0013, HepChunkType.VARIABLE);

    /** Body size marker for variable-length chunks. */
    public static final int VARIABLE = -1;

    /** {@link #bodySizeOf} of a chunk without a field: vendor chunks, unknown and secondary types. */
    static final int KEPT_RAW = -2;

    private static final int[] BODY_SIZE = new int[0x14];

    static {
        java.util.Arrays.fill(BODY_SIZE, KEPT_RAW);
        for (HepChunkType t : values()) {
            BODY_SIZE[t.code] = t.bodySize;
        }
    }

    private final int code;
    private final int bodySize;

    HepChunkType(int code, int bodySize) {
        this.code = code;
        this.bodySize = bodySize;
    }

    /** The chunk type number on the wire. */
    public int code() {
        return code;
    }

    /** The body size in bytes, or {@link #VARIABLE}. */
    public int bodySize() {
        return bodySize;
    }

    /**
     * The body size of the chunk of that vendor and type, {@link #VARIABLE}, or {@link #KEPT_RAW} when
     * it maps to no field (an array lookup: the decoder asks for every chunk).
     */
    static int bodySizeOf(int vendor, int type) {
        return vendor == 0 && type < BODY_SIZE.length ? BODY_SIZE[type] : KEPT_RAW;
    }
}
