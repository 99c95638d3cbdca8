package io.hepstack.proto.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds and reads the SDP body of a SIP message: {@code c=}, {@code m=} and {@code a=rtpmap} lines
 * (RFC 8866 §5.7, §5.14, §6.6), directly or as the first {@code application/sdp} part of a
 * {@code multipart/*} body (RFC 2046 §5.1). Tolerant and linear: unreadable lines are skipped.
 */
final class SdpParser {
    /** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;
    private static final int MAX_PART_HEADERS = 32;

    private SdpParser() {
    }

    /** The SDP of a body with this Content-Type, or {@code null}. */
    static Sdp find(String contentType, byte[] buf, int from, int to) {
        if (contentType == null || to <= from) {
            return null;
        }
        String type = mediaType(contentType);
        if (type.equals("application/sdp")) {
            return parse(buf, from, to);
        }
        if (type.startsWith("multipart/")) {
            int semi = contentType.indexOf(';');
            String boundary = semi < 0 ? null : SipValues.param(contentType, semi, contentType.length(), "boundary");
            if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
                return null;
            }
            return multipart(("--" + boundary).getBytes(StandardCharsets.UTF_8), buf, from, to);
        }
        return null;
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static Sdp multipart(byte[] delimiter, byte[] buf, int from, int to) {
        int p = nextDelimiter(delimiter, buf, from, to);
        while (p >= 0) {
            int after = p + delimiter.length;
            if (after + 1 < to && buf[after] == '-' && buf[after + 1] == '-') {
                return null; // close-delimiter
            }
            int lf = SipText.indexOf(buf, after, to, (byte) '\n');
            if (lf < 0) {
                return null;
            }
            int partStart = lf + 1;
            int next = nextDelimiter(delimiter, buf, partStart, to);
            int partEnd = next < 0 ? to : next;
            if (next >= 0) {
                // the CRLF before a delimiter belongs to the delimiter
                if (partEnd > partStart && buf[partEnd - 1] == '\n') {
                    partEnd--;
                }
                if (partEnd > partStart && buf[partEnd - 1] == '\r') {
                    partEnd--;
                }
            }
            Sdp sdp = part(buf, partStart, partEnd);
            if (sdp != null) {
                return sdp;
            }
            p = next;
        }
        return null;
    }

    /** Start of the next line in {@code [from, to)} that begins with the delimiter; {@code from} is a line start. */
    private static int nextDelimiter(byte[] delimiter, byte[] buf, int from, int to) {
        int i = from;
        while (i < to) {
            if (to - i >= delimiter.length && java.util.Arrays.equals(buf, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                return i;
            }
            int lf = SipText.indexOf(buf, i, to, (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            i = lf + 1;
        }
        return -1;
    }

    /** The SDP of one body part (headers, blank line, content) if its Content-Type is application/sdp. */
    private static Sdp part(byte[] buf, int from, int to) {
        String contentType = null;
        int p = from;
        for (int n = 0; p < to && n < MAX_PART_HEADERS; n++) {
            int lf = SipText.indexOf(buf, p, to, (byte) '\n');
            int next = lf < 0 ? to : lf + 1;
            int end = lf < 0 ? to : lf;
            if (end > p && buf[end - 1] == '\r') {
                end--;
            }
            if (end == p) {
                return contentType != null && mediaType(contentType).equals("application/sdp")
                        ? parse(buf, next, to) : null;
            }
            int colon = SipText.indexOf(buf, p, end, (byte) ':');
            if (colon > p) {
                int nameEnd = colon;
                while (nameEnd > p && SipText.isWs(buf[nameEnd - 1])) {
                    nameEnd--;
                }
                if (contentType == null && HeaderNames.kindOf(buf, p, nameEnd) == HeaderNames.CONTENT_TYPE) {
                    contentType = SipText.decode(buf, colon + 1, end).trim();
                }
            }
            p = next;
        }
        return null;
    }

    /** Reads an SDP body. */
    static Sdp parse(byte[] buf, int from, int to) {
        String sessionAddress = null;
        List<MediaBuilder> media = new ArrayList<>(2);
        MediaBuilder current = null;
        int p = from;
        while (p < to) {
            int lf = SipText.indexOf(buf, p, to, (byte) '\n');
            int next = lf < 0 ? to : lf + 1;
            int end = lf < 0 ? to : lf;
            if (end > p && buf[end - 1] == '\r') {
                end--;
            }
            if (end - p >= 2 && buf[p + 1] == '=') {
                byte type = buf[p];
                if (type == 'c') {
                    String address = connectionAddress(SipText.decode(buf, p + 2, end));
                    if (current == null) {
                        if (sessionAddress == null) {
                            sessionAddress = address;
                        }
                    } else if (current.connectionAddress == null) {
                        current.connectionAddress = address;
                    }
                } else if (type == 'm') {
                    current = media(SipText.decode(buf, p + 2, end));
                    media.add(current);
                } else if (type == 'a' && current != null && end - p > 9 && startsWith(buf, p + 2, "rtpmap:")) {
                    rtpmap(SipText.decode(buf, p + 9, end), current);
                }
            }
            p = next;
        }
        List<SdpMedia> built = new ArrayList<>(media.size());
        for (MediaBuilder m : media) {
            built.add(m.build());
        }
        return new Sdp(sessionAddress, built);
    }

    /** {@code c=<nettype> <addrtype> <connection-address>}: the address without {@code /ttl/count}. */
    private static String connectionAddress(String line) {
        String[] words = words(line, 3);
        if (words.length < 3) {
            return null;
        }
        String address = words[2];
        int slash = address.indexOf('/');
        return slash > 0 ? address.substring(0, slash) : address;
    }

    /** {@code m=<media> <port>[/<count>] <proto> <fmt> ...}. */
    private static MediaBuilder media(String line) {
        String[] words = words(line, Integer.MAX_VALUE);
        MediaBuilder m = new MediaBuilder();
        m.type = words.length > 0 ? words[0] : null;
        if (words.length > 1) {
            String port = words[1];
            int slash = port.indexOf('/');
            m.port = SipValues.port(port, 0, slash < 0 ? port.length() : slash);
        }
        m.protocol = words.length > 2 ? words[2] : null;
        for (int i = 3; i < words.length; i++) {
            m.formats.add(words[i]);
        }
        return m;
    }

    /** {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<parameters>]}. */
    private static void rtpmap(String rest, MediaBuilder m) {
        String[] words = words(rest, 2);
        if (words.length == 2) {
            m.rtpmap.putIfAbsent(words[0], words[1]);
        }
    }

    /** Up to {@code max} whitespace-separated words; the last one keeps any further words. */
    private static String[] words(String s, int max) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && s.charAt(i) <= ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            if (out.size() == max - 1) {
                int end = n;
                while (end > start && s.charAt(end - 1) <= ' ') {
                    end--;
                }
                out.add(s.substring(start, end));
                break;
            }
            while (i < n && s.charAt(i) > ' ') {
                i++;
            }
            out.add(s.substring(start, i));
        }
        return out.toArray(new String[0]);
    }

    private static boolean startsWith(byte[] buf, int from, String ascii) {
        if (from + ascii.length() > buf.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static final class MediaBuilder {
        String type;
        int port = -1;
        String protocol;
        String connectionAddress;
        final List<String> formats = new ArrayList<>(4);
        final Map<String, String> rtpmap = new HashMap<>(4);

        SdpMedia build() {
            List<String> codecs = new ArrayList<>(formats.size());
            for (String format : formats) {
                codecs.add(rtpmap.getOrDefault(format, format));
            }
            return new SdpMedia(type, port, protocol, codecs, connectionAddress);
        }
    }
}
