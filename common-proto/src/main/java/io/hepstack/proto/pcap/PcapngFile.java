package io.hepstack.proto.pcap;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pcapng format (draft-ietf-opsawg-pcapng): blocks of type, total length, body and the total
 * length again. A Section Header Block sets the byte order and starts a new list of interfaces;
 * Interface Description Blocks give each interface its link type, snaplen and timestamp resolution;
 * Enhanced, Simple and (obsolete) Packet Blocks carry packets. Other blocks are skipped by length.
 */
final class PcapngFile {
    static final int SHB_TYPE = 0x0A0D0D0A;
    private static final int IDB_TYPE = 0x00000001;
    private static final int PB_TYPE = 0x00000002;
    private static final int SPB_TYPE = 0x00000003;
    private static final int EPB_TYPE = 0x00000006;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** Option codes (pcapng §4.2). */
    private static final int OPT_ENDOFOPT = 0;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;
    /** Largest block the reader loads, bounding memory; larger unknown blocks are skipped. */
    static final long MAX_BLOCK = ClassicPcapFile.MAX_RECORD + 64;

    /** An interface of the current section. */
    private record Interface(int linkType, long snaplen, int tsresol, long offsetSeconds) {
    }

    private PcapngFile() {
    }

    /** Reads the file from its first block, whose type is already read; returns the truncation note, or null. */
    static String read(CaptureInput in, byte[] firstType, FrameDecoder sink) throws IOException {
        byte[] head = new byte[12];
        System.arraycopy(firstType, 0, head, 0, 4);
        boolean haveType = true;
        boolean le = false;
        List<Interface> interfaces = new ArrayList<>();
        long blockNo = 0;
        long packetNo = 0;
        while (true) {
            long at = in.offset() - (haveType ? 4 : 0);
            if (!haveType) {
                int r = in.read(head, 0, 4);
                if (r == 0) {
                    return null;
                }
                if (r < 4) {
                    return "block " + (blockNo + 1) + " at offset " + at + ": " + r + " of 4 type bytes (file ends)";
                }
            }
            haveType = false;
            blockNo++;
            boolean shb = Bytes.u32(head, 0) == Integer.toUnsignedLong(SHB_TYPE);
            int headLen = shb ? 12 : 8;
            int r = in.read(head, 4, headLen - 4);
            if (r < headLen - 4) {
                return "block " + blockNo + " at offset " + at + ": header " + (r + 4) + " of " + headLen
                        + " bytes (file ends)";
            }
            if (shb) {
                long bom = Bytes.u32(head, 8);
                if (bom == BYTE_ORDER_MAGIC) {
                    le = false;
                } else if (bom == Integer.toUnsignedLong(Integer.reverseBytes(BYTE_ORDER_MAGIC))) {
                    le = true;
                } else {
                    throw new PcapFormatException("block " + blockNo + " (SHB)", at,
                            String.format("byte-order magic 0x%08x (expected: 1a2b3c4d in either byte order)", bom));
                }
                interfaces.clear();
            }
            int type = (int) Bytes.u32(head, 0, le);
            String where = "block " + blockNo + " (" + name(type) + ")";
            long length = Bytes.u32(head, 4, le);
            long minLength = shb ? 28 : 12;
            if (length < minLength || length % 4 != 0) {
                throw new PcapFormatException(where, at, "block length " + length + " (expected: a multiple of 4, at least "
                        + minLength + ")");
            }
            boolean known = shb || type == IDB_TYPE || type == PB_TYPE || type == SPB_TYPE || type == EPB_TYPE;
            if (!known || length > MAX_BLOCK) {
                if (known) {
                    throw new PcapFormatException(where, at, "block length " + length + " exceeds the reader's limit "
                            + MAX_BLOCK);
                }
                long rest = length - headLen;
                long skipped = in.skip(rest);
                if (skipped < rest) {
                    return "block " + blockNo + " at offset " + at + ": " + (skipped + headLen) + " of " + length
                            + " bytes (file ends)";
                }
                continue;
            }
            // body = everything after type and length, up to and including the trailing length
            byte[] body = new byte[(int) length - 8];
            int bodyStart = 0;
            if (shb) {
                System.arraycopy(head, 8, body, 0, 4);
                bodyStart = 4;
            }
            int got = in.read(body, bodyStart, body.length - bodyStart);
            if (got < body.length - bodyStart) {
                return "block " + blockNo + " at offset " + at + ": " + (got + headLen) + " of " + length
                        + " bytes (file ends)";
            }
            int end = body.length - 4;
            long trailer = Bytes.u32(body, end, le);
            if (trailer != length) {
                throw new PcapFormatException(where, at, "trailing block length " + trailer + " (expected: " + length + ")");
            }
            switch (type) {
                case SHB_TYPE -> {
                    int major = Bytes.u16(body, 4, le);
                    if (major != 1) {
                        throw new PcapFormatException(where, at, "version " + major + "." + Bytes.u16(body, 6, le)
                                + " (expected: 1.0)");
                    }
                }
                case IDB_TYPE -> interfaces.add(parseInterface(body, end, le, where, at));
                case EPB_TYPE, PB_TYPE -> {
                    boolean epb = type == EPB_TYPE;
                    if (end < 20) {
                        throw new PcapFormatException(where, at, "body " + end + " bytes (expected: at least 20)");
                    }
                    long ifId = epb ? Bytes.u32(body, 0, le) : Bytes.u16(body, 0, le);
                    Interface itf = iface(interfaces, ifId, where, at);
                    long ticks = Bytes.u32(body, 4, le) << 32 | Bytes.u32(body, 8, le);
                    long caplen = Bytes.u32(body, 12, le);
                    long origlen = Bytes.u32(body, 16, le);
                    if (caplen > end - 20) {
                        throw new PcapFormatException(where, at, "captured length " + caplen
                                + " exceeds the block's " + (end - 20) + " data bytes");
                    }
                    byte[] data = Arrays.copyOfRange(body, 20, 20 + (int) caplen);
                    sink.frame(++packetNo, micros(ticks, itf), itf.linkType(), data, origlen);
                }
                case SPB_TYPE -> {
                    Interface itf = iface(interfaces, 0, where, at);
                    long origlen = Bytes.u32(body, 0, le);
                    long caplen = Math.min(origlen, end - 4);
                    if (itf.snaplen() != 0) {
                        caplen = Math.min(caplen, itf.snaplen());
                    }
                    byte[] data = Arrays.copyOfRange(body, 4, 4 + (int) caplen);
                    // An SPB has no timestamp (pcapng §4.4).
                    sink.frame(++packetNo, 0, itf.linkType(), data, origlen);
                }
                default -> throw new IllegalStateException("unreachable block type " + type);
            }
        }
    }

    private static Interface parseInterface(byte[] body, int end, boolean le, String where, long at)
            throws PcapFormatException {
        if (end < 8) {
            throw new PcapFormatException(where, at, "body " + end + " bytes (expected: at least 8)");
        }
        int linkType = Bytes.u16(body, 0, le);
        long snaplen = Bytes.u32(body, 4, le);
        int tsresol = 6;
        long offsetSeconds = 0;
        int p = 8;
        while (end - p >= 4) {
            int code = Bytes.u16(body, p, le);
            int len = Bytes.u16(body, p + 2, le);
            p += 4;
            if (code == OPT_ENDOFOPT) {
                break;
            }
            if (len > end - p) {
                throw new PcapFormatException(where, at, "option " + code + " length " + len + " exceeds the "
                        + (end - p) + " bytes left in the block");
            }
            if (code == IF_TSRESOL && len == 1) {
                tsresol = Bytes.u8(body, p);
                boolean binary = (tsresol & 0x80) != 0;
                if ((binary && (tsresol & 0x7F) > 63) || (!binary && tsresol > 18)) {
                    throw new PcapFormatException(where, at, "if_tsresol 0x" + Integer.toHexString(tsresol)
                            + " (expected: at most 10^-18 or 2^-63)");
                }
            } else if (code == IF_TSOFFSET && len == 8) {
                // a signed 64-bit integer in the section's byte order
                offsetSeconds = le
                        ? Bytes.u32(body, p + 4, true) << 32 | Bytes.u32(body, p, true)
                        : Bytes.u32(body, p, false) << 32 | Bytes.u32(body, p + 4, false);
            }
            p += (len + 3) & ~3;
        }
        return new Interface(linkType, snaplen, tsresol, offsetSeconds);
    }

    private static Interface iface(List<Interface> interfaces, long id, String where, long at)
            throws PcapFormatException {
        if (id >= interfaces.size()) {
            throw new PcapFormatException(where, at, "interface id " + id + " (expected: below the "
                    + interfaces.size() + " interfaces described in this section)");
        }
        return interfaces.get((int) id);
    }

    /** Converts interface ticks (unsigned) to microseconds since the epoch. */
    static long micros(long ticks, int tsresol, long offsetSeconds) {
        long micros;
        if ((tsresol & 0x80) == 0) {
            if (tsresol <= 6) {
                micros = ticks * pow10(6 - tsresol);
            } else {
                micros = Long.divideUnsigned(ticks, pow10(tsresol - 6));
            }
        } else {
            micros = new BigInteger(Long.toUnsignedString(ticks)).multiply(BigInteger.valueOf(1_000_000))
                    .shiftRight(tsresol & 0x7F).longValue();
        }
        return micros + offsetSeconds * 1_000_000L;
    }

    private static long micros(long ticks, Interface itf) {
        return micros(ticks, itf.tsresol(), itf.offsetSeconds());
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }

    private static String name(int type) {
        return switch (type) {
            case SHB_TYPE -> "SHB";
            case IDB_TYPE -> "IDB";
            case PB_TYPE -> "PB";
            case SPB_TYPE -> "SPB";
            case EPB_TYPE -> "EPB";
            default -> String.format("type 0x%08x", type);
        };
    }
}
