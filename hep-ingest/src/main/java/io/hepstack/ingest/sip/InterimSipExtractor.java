package io.hepstack.ingest.sip;

import io.hepstack.ingest.RowExtractor;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Stand-in for common-proto's {@code MessageExtractor} until it is merged: reads only the start line,
 * Call-ID, CSeq and User-Agent, enough for correlation, kinds and KPIs. Delete when the real
 * extractor is wired.
 */
public final class InterimSipExtractor implements RowExtractor {

    @Override
    public CapturedMessage extract(HepPacket p) {
        String method = null;
        Integer status = null;
        String callId = null;
        Long cseq = null;
        String cseqMethod = null;
        String userAgent = null;
        boolean parsed = false;
        if (p.protoType() == 1) {
            String text = new String(p.payload(), StandardCharsets.ISO_8859_1);
            int eol = text.indexOf('\n');
            String start = (eol < 0 ? text : text.substring(0, eol)).trim();
            if (start.startsWith("SIP/2.0 ") && start.length() >= 11) {
                try {
                    status = Integer.parseInt(start.substring(8, 11));
                } catch (NumberFormatException e) {
                    status = null;
                }
            } else if (start.endsWith("SIP/2.0") && start.indexOf(' ') > 0) {
                method = start.substring(0, start.indexOf(' '));
            }
            int pos = eol + 1;
            while (eol >= 0 && pos < text.length()) {
                int end = text.indexOf('\n', pos);
                String line = (end < 0 ? text.substring(pos) : text.substring(pos, end)).trim();
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    switch (name) {
                        case "call-id", "i" -> callId = value;
                        case "cseq" -> {
                            int sp = value.indexOf(' ');
                            try {
                                cseq = Long.parseLong(sp < 0 ? value : value.substring(0, sp));
                            } catch (NumberFormatException e) {
                                cseq = null;
                            }
                            cseqMethod = sp < 0 ? null : value.substring(sp + 1).trim();
                        }
                        case "user-agent" -> userAgent = value;
                        case "server" -> userAgent = userAgent == null ? value : userAgent;
                        default -> { }
                    }
                }
                if (end < 0) {
                    break;
                }
                pos = end + 1;
            }
            parsed = (method != null || status != null) && callId != null;
        }
        String correlation = p.correlationId() != null ? p.correlationId() : callId;
        return new CapturedMessage(p.timestampMicros(), kind(p.protoType(), parsed, cseqMethod), p.captureId(), p.node(),
                p.protoType(), p.ipFamily(), p.ipProto(), p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort(),
                correlation, callId, method, status, cseq, cseqMethod, null, null, null, null, null,
                userAgent, null, parsed, p.payload(), null);
    }

    private static MessageKind kind(int protoType, boolean parsed, String cseqMethod) {
        return switch (protoType) {
            case 1 -> !parsed || cseqMethod == null ? MessageKind.SIP_OTHER : switch (cseqMethod) {
                case "INVITE", "ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO", "REFER" -> MessageKind.SIP_CALL;
                case "REGISTER" -> MessageKind.SIP_REGISTRATION;
                default -> MessageKind.SIP_OTHER;
            };
            case 5, 34, 35, 58 -> MessageKind.QOS;
            case 100 -> MessageKind.LOG;
            default -> MessageKind.OTHER;
        };
    }
}
