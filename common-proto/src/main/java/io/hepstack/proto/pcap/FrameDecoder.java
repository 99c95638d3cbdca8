package io.hepstack.proto.pcap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes one capture record through its link layer, IPv4/IPv6 and UDP/TCP, feeding the visitor,
 * the fragment reassembler and the TCP reassembler, and counting what it skips. Offsets in skip
 * details are into the record's bytes (or into the reassembled datagram).
 */
final class FrameDecoder {
    /** tcpdump.org LINKTYPE_ values. */
    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW_BSD12 = 12;
    static final int LINKTYPE_RAW_BSD14 = 14;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int MAX_VLAN_TAGS = 8;
    private static final int MAX_IPV6_EXTENSIONS = 16;
    private static final int SNIFF_IP_VERSION = -1;

    private static final int PROTO_HOPOPTS = 0;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int PROTO_ROUTING = 43;
    private static final int PROTO_FRAGMENT = 44;
    private static final int PROTO_AH = 51;
    private static final int PROTO_NONE = 59;
    private static final int PROTO_DSTOPTS = 60;
    private static final int PROTO_MOBILITY = 135;

    private final PcapVisitor visitor;
    private final IpReassembler fragments;
    private final TcpReassembler tcp;
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private long frames;
    private long udpDatagrams;
    private long tcpSegments;
    private long ipFragments;
    private long reassembled;

    FrameDecoder(PcapVisitor visitor, ReassemblyLimits limits) {
        this.visitor = visitor;
        this.fragments = new IpReassembler(limits.maxPendingIpDatagrams(),
                (frame, detail) -> skip(frame, SkipReason.IP_FRAGMENT_INCOMPLETE, detail));
        this.tcp = new TcpReassembler(visitor, limits);
    }

    /** One record: {@code data} is the captured bytes, {@code origLen} the packet's length on the wire. */
    void frame(long frameNumber, long ts, int linkType, byte[] data, long origLen) {
        frames++;
        boolean cut = origLen > data.length;
        try {
            decodeLink(frameNumber, ts, linkType, data, cut);
        } catch (SkipException e) {
            skip(frameNumber, e.reason(), e.getMessage());
        }
    }

    void finish() {
        fragments.finish();
        tcp.finish();
    }

    PcapStats stats(String format, String truncation) {
        return new PcapStats(format, frames, udpDatagrams, tcpSegments, ipFragments, reassembled, skipped,
                tcp.flowsOpened, tcp.bytesDelivered, tcp.duplicateBytes, tcp.gaps, tcp.gapBytes, truncation);
    }

    private void skip(long frameNumber, SkipReason reason, String detail) {
        skipped.merge(reason, 1L, Long::sum);
        visitor.onSkip(frameNumber, reason, detail);
    }

    private void decodeLink(long frame, long ts, int linkType, byte[] d, boolean cut) throws SkipException {
        int end = d.length;
        int pos;
        int etherType;
        switch (linkType) {
            case LINKTYPE_ETHERNET -> {
                needLink(d, 0, 14, "Ethernet header", cut);
                etherType = Bytes.u16(d, 12);
                pos = 14;
                int tags = 0;
                while (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD) {
                    if (++tags > MAX_VLAN_TAGS) {
                        throw new SkipException(SkipReason.MALFORMED_LINK_HEADER, "more than " + MAX_VLAN_TAGS
                                + " VLAN tags");
                    }
                    needLink(d, pos, 4, "802.1Q tag", cut);
                    etherType = Bytes.u16(d, pos + 2);
                    pos += 4;
                }
            }
            case LINKTYPE_LINUX_SLL -> {
                needLink(d, 0, 16, "Linux cooked (SLL) header", cut);
                etherType = Bytes.u16(d, 14);
                pos = 16;
            }
            case LINKTYPE_LINUX_SLL2 -> {
                needLink(d, 0, 20, "Linux cooked (SLL2) header", cut);
                etherType = Bytes.u16(d, 0);
                pos = 20;
            }
            case LINKTYPE_RAW, LINKTYPE_RAW_BSD12, LINKTYPE_RAW_BSD14 -> {
                etherType = SNIFF_IP_VERSION;
                pos = 0;
            }
            case LINKTYPE_IPV4 -> {
                etherType = ETHERTYPE_IPV4;
                pos = 0;
            }
            case LINKTYPE_IPV6 -> {
                etherType = ETHERTYPE_IPV6;
                pos = 0;
            }
            case LINKTYPE_NULL, LINKTYPE_LOOP -> {
                needLink(d, 0, 4, "BSD loopback header", cut);
                long family = Bytes.u32(d, 0);
                // NULL: host byte order of the capturing machine; a family fits in 16 bits, so swap if it does not
                if (linkType == LINKTYPE_NULL && (family & 0xFFFF0000L) != 0) {
                    family = Bytes.u32(d, 0, true);
                }
                etherType = switch ((int) family) {
                    case 2 -> ETHERTYPE_IPV4;
                    // AF_INET6 differs per OS: Linux 10, Windows 23, NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30
                    case 10, 23, 24, 28, 30 -> ETHERTYPE_IPV6;
                    default -> throw new SkipException(SkipReason.NOT_IP, "BSD loopback address family " + family);
                };
                pos = 4;
            }
            default -> throw new SkipException(SkipReason.UNSUPPORTED_LINK_TYPE, "link type " + linkType);
        }
        if (etherType == SNIFF_IP_VERSION) {
            if (end - pos < 1) {
                throw new SkipException(cut ? SkipReason.CUT_BY_SNAPLEN : SkipReason.MALFORMED_IP_HEADER,
                        "empty raw IP packet");
            }
            etherType = (d[pos] & 0xF0) == 0x60 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        }
        if (etherType == ETHERTYPE_IPV4) {
            decodeIpv4(frame, ts, d, pos, end, cut);
        } else if (etherType == ETHERTYPE_IPV6) {
            decodeIpv6(frame, ts, d, pos, end, cut);
        } else {
            throw new SkipException(SkipReason.NOT_IP, String.format("EtherType 0x%04x", etherType));
        }
    }

    private static void needLink(byte[] d, int pos, int n, String what, boolean cut) throws SkipException {
        if (d.length - pos < n) {
            throw new SkipException(cut ? SkipReason.CUT_BY_SNAPLEN : SkipReason.MALFORMED_LINK_HEADER,
                    what + " at offset " + pos + ": " + (d.length - pos) + " bytes (expected: " + n + ")");
        }
    }

    /** RFC 791 §3.1. */
    private void decodeIpv4(long frame, long ts, byte[] d, int pos, int end, boolean cut) throws SkipException {
        int avail = end - pos;
        if (avail < 20) {
            throw new SkipException(cut ? SkipReason.CUT_BY_SNAPLEN : SkipReason.MALFORMED_IP_HEADER,
                    "IPv4 header at offset " + pos + ": " + avail + " bytes (expected: at least 20)");
        }
        int version = Bytes.u8(d, pos) >> 4;
        if (version != 4) {
            throw new SkipException(SkipReason.MALFORMED_IP_HEADER, "IP version " + version + " at offset " + pos
                    + " (expected: 4)");
        }
        int ihl = (Bytes.u8(d, pos) & 0x0F) * 4;
        if (ihl < 20) {
            throw new SkipException(SkipReason.MALFORMED_IP_HEADER, "IPv4 header length " + ihl + " at offset " + pos
                    + " (expected: at least 20)");
        }
        int total = Bytes.u16(d, pos + 2);
        if (total == 0) {
            total = avail; // TCP segmentation offload: the kernel leaves the length to the NIC
        }
        if (total < ihl) {
            throw new SkipException(SkipReason.MALFORMED_IP_HEADER, "IPv4 total length " + total + " at offset " + pos
                    + " (expected: at least the header length " + ihl + ")");
        }
        if (total > avail) {
            throw new SkipException(cut ? SkipReason.CUT_BY_SNAPLEN : SkipReason.MALFORMED_IP_HEADER,
                    "IPv4 total length " + total + " at offset " + pos + " exceeds the " + avail + " bytes captured");
        }
        end = pos + total; // drop Ethernet padding and trailers
        int id = Bytes.u16(d, pos + 4);
        int flagsOffset = Bytes.u16(d, pos + 6);
        boolean more = (flagsOffset & 0x2000) != 0;
        int fragOffset = (flagsOffset & 0x1FFF) * 8;
        int proto = Bytes.u8(d, pos + 9);
        InetAddress src = address(d, pos + 12, 4);
        InetAddress dst = address(d, pos + 16, 4);
        int payload = pos + ihl;
        if (more || fragOffset != 0) {
            ipFragments++;
            byte[] whole = fragments.add(new IpReassembler.Key(src, dst, id, proto), fragOffset, d, payload,
                    end - payload, more, ts, frame);
            if (whole != null) {
                reassembled++;
                decodeTransport(frame, ts, proto, src, dst, whole, 0, whole.length);
            }
            return;
        }
        decodeTransport(frame, ts, proto, src, dst, d, payload, end);
    }

    /** RFC 8200 §3. */
    private void decodeIpv6(long frame, long ts, byte[] d, int pos, int end, boolean cut) throws SkipException {
        int avail = end - pos;
        if (avail < 40) {
            throw new SkipException(cut ? SkipReason.CUT_BY_SNAPLEN : SkipReason.MALFORMED_IP_HEADER,
                    "IPv6 header at offset " + pos + ": " + avail + " bytes (expected: at least 40)");
        }
        int version = Bytes.u8(d, pos) >> 4;
        if (version != 6) {
            throw new SkipException(SkipReason.MALFORMED_IP_HEADER, "IP version " + version + " at offset " + pos
                    + " (expected: 6)");
        }
        int payloadLength = Bytes.u16(d, pos + 4);
        if (payloadLength == 0) {
            payloadLength = avail - 40; // jumbogram or segmentation offload
        }
        if (payloadLength > avail - 40) {
            throw new SkipException(cut ? SkipReason.CUT_BY_SNAPLEN : SkipReason.MALFORMED_IP_HEADER,
                    "IPv6 payload length " + payloadLength + " at offset " + pos + " exceeds the " + (avail - 40)
                            + " bytes captured");
        }
        int next = Bytes.u8(d, pos + 6);
        InetAddress src = address(d, pos + 8, 16);
        InetAddress dst = address(d, pos + 24, 16);
        walkIpv6(frame, ts, next, src, dst, d, pos + 40, pos + 40 + payloadLength);
    }

    /** Walks IPv6 extension headers (RFC 8200 §4) to the transport header. */
    private void walkIpv6(long frame, long ts, int next, InetAddress src, InetAddress dst, byte[] d, int p, int end)
            throws SkipException {
        for (int count = 0; ; count++) {
            if (count > MAX_IPV6_EXTENSIONS) {
                throw new SkipException(SkipReason.MALFORMED_IP_HEADER, "more than " + MAX_IPV6_EXTENSIONS
                        + " IPv6 extension headers");
            }
            switch (next) {
                case PROTO_HOPOPTS, PROTO_ROUTING, PROTO_DSTOPTS, PROTO_MOBILITY, PROTO_AH -> {
                    if (end - p < 2) {
                        throw extensionPastEnd(next, p, 2, end - p);
                    }
                    int len = next == PROTO_AH ? (Bytes.u8(d, p + 1) + 2) * 4 : (Bytes.u8(d, p + 1) + 1) * 8;
                    if (end - p < len) {
                        throw extensionPastEnd(next, p, len, end - p);
                    }
                    next = Bytes.u8(d, p);
                    p += len;
                }
                case PROTO_FRAGMENT -> {
                    if (end - p < 8) {
                        throw extensionPastEnd(next, p, 8, end - p);
                    }
                    int inner = Bytes.u8(d, p);
                    int offsetFlags = Bytes.u16(d, p + 2);
                    int fragOffset = offsetFlags & 0xFFF8;
                    boolean more = (offsetFlags & 1) != 0;
                    long id = Bytes.u32(d, p + 4);
                    p += 8;
                    if (fragOffset == 0 && !more) {
                        next = inner; // atomic fragment (RFC 6946)
                        continue;
                    }
                    ipFragments++;
                    byte[] whole = fragments.add(new IpReassembler.Key(src, dst, id, -1), fragOffset, d, p, end - p,
                            more, ts, frame);
                    if (whole != null) {
                        reassembled++;
                        walkIpv6(frame, ts, inner, src, dst, whole, 0, whole.length);
                    }
                    return;
                }
                case PROTO_NONE -> throw new SkipException(SkipReason.NOT_UDP_OR_TCP, "IPv6 no next header");
                default -> {
                    decodeTransport(frame, ts, next, src, dst, d, p, end);
                    return;
                }
            }
        }
    }

    private static SkipException extensionPastEnd(int type, int p, int len, int left) {
        return new SkipException(SkipReason.MALFORMED_IP_HEADER, "IPv6 extension header " + type + " at offset " + p
                + ": length " + len + " exceeds the " + left + " bytes left");
    }

    private void decodeTransport(long frame, long ts, int proto, InetAddress src, InetAddress dst, byte[] d, int p,
                                 int end) throws SkipException {
        int avail = end - p;
        if (proto == PROTO_UDP) {
            // RFC 768
            if (avail < 8) {
                throw new SkipException(SkipReason.MALFORMED_TRANSPORT_HEADER, "UDP header at offset " + p + ": "
                        + avail + " bytes (expected: 8)");
            }
            int length = Bytes.u16(d, p + 4);
            if (length < 8 || length > avail) {
                throw new SkipException(SkipReason.MALFORMED_TRANSPORT_HEADER, "UDP length " + length + " at offset "
                        + p + " (expected: 8 to " + avail + ", the IP payload)");
            }
            udpDatagrams++;
            visitor.onUdp(new PcapPacket(frame, ts, src, Bytes.u16(d, p), dst, Bytes.u16(d, p + 2),
                    Arrays.copyOfRange(d, p + 8, p + length)));
        } else if (proto == PROTO_TCP) {
            // RFC 9293 §3.1
            if (avail < 20) {
                throw new SkipException(SkipReason.MALFORMED_TRANSPORT_HEADER, "TCP header at offset " + p + ": "
                        + avail + " bytes (expected: at least 20)");
            }
            int dataOffset = (Bytes.u8(d, p + 12) >> 4) * 4;
            if (dataOffset < 20 || dataOffset > avail) {
                throw new SkipException(SkipReason.MALFORMED_TRANSPORT_HEADER, "TCP data offset " + dataOffset
                        + " at offset " + p + " (expected: 20 to " + avail + ", the IP payload)");
            }
            tcpSegments++;
            FlowKey key = new FlowKey(src, Bytes.u16(d, p), dst, Bytes.u16(d, p + 2));
            tcp.segment(key, Bytes.u32(d, p + 4), Bytes.u32(d, p + 8), Bytes.u8(d, p + 13), d, p + dataOffset,
                    avail - dataOffset, ts, frame);
        } else {
            throw new SkipException(SkipReason.NOT_UDP_OR_TCP, "IP protocol " + proto);
        }
    }

    private static InetAddress address(byte[] d, int at, int len) {
        byte[] a = Arrays.copyOfRange(d, at, at + len);
        try {
            // Inet6Address.getByAddress keeps IPv4-mapped addresses as IPv6, unlike InetAddress.getByAddress
            return len == 4 ? Inet4Address.getByAddress(a) : Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + len + " bytes", e);
        }
    }
}
