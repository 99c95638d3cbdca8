package io.hepstack.api.stats;

import static io.hepstack.api.Fixture.ip;

import io.hepstack.api.Fixture;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made calls, one per outcome the indicators tell apart, through {@link MessageExtractor} like
 * the collector's rows (in the spirit of the call package's {@code CraftedCalls}). From {@code base}
 * (each Call-ID carries the day of {@code base}, {@code auth-20412@test}, so that the same calls stored on
 * several days are several calls):
 * <pre>
 * bucket 0 (base .. base+5 min)                                     node
 *   auth@test     INVITE 407 ACK INVITE(CSeq 2) 100 180 200 ACK BYE 200  node-1   one call, answered
 *   busy@test     INVITE 180 486 ACK                                 node-1
 *   down@test     INVITE 503 ACK                                     node-1
 *   timeout@test  INVITE 408                                         node-2
 *   cancel@test   INVITE 180 CANCEL 200(CANCEL) 487 ACK              node-2
 *   moved@test    INVITE 302 ACK                                     node-2
 * bucket 1 (base+6 min)
 *   late@test     INVITE 200 ACK BYE 200                             node-2
 * bucket 2 (base+11 min): no call
 *   reg@test      REGISTER 401 REGISTER(CSeq 2) 200                  node-1   one binding, registered
 *   refused@test  REGISTER 403                                       node-1   another, failed
 *   ping@test     OPTIONS 200                                        node-1
 * </pre>
 * Each message is captured once, between 10.7.0.1 and 10.7.0.2: every call's INVITE at one hop. {@link #hops}
 * makes calls captured at several.
 */
final class OutcomeCalls {

    private static final String[] DIRECT = {"10.7.0.1", "10.7.0.2"};

    final long base;
    final List<CapturedMessage> rows = new ArrayList<>();
    private final long day;
    private long t;

    private OutcomeCalls(long baseMicros, boolean outcomes) {
        this.base = baseMicros;
        this.t = baseMicros;
        this.day = Math.floorDiv(baseMicros, 86_400_000_000L);
        if (!outcomes) {
            return;
        }
        Call auth = new Call("auth", "node-1");
        auth.request("INVITE", 1, false).reply(407, 1, "INVITE").request("ACK", 1, true)
                .request("INVITE", 2, false).reply(100, 2, "INVITE").reply(180, 2, "INVITE").reply(200, 2, "INVITE")
                .request("ACK", 2, true).request("BYE", 3, true).reply(200, 3, "BYE");
        new Call("busy", "node-1").request("INVITE", 1, false).reply(180, 1, "INVITE").reply(486, 1, "INVITE")
                .request("ACK", 1, true);
        new Call("down", "node-1").request("INVITE", 1, false).reply(503, 1, "INVITE").request("ACK", 1, true);
        new Call("timeout", "node-2").request("INVITE", 1, false).reply(408, 1, "INVITE");
        new Call("cancel", "node-2").request("INVITE", 1, false).reply(180, 1, "INVITE").request("CANCEL", 1, false)
                .reply(200, 1, "CANCEL").reply(487, 1, "INVITE").request("ACK", 1, true);
        new Call("moved", "node-2").request("INVITE", 1, false).reply(302, 1, "INVITE").request("ACK", 1, true);
        t = baseMicros + 6 * 60 * 1_000_000L;
        new Call("late", "node-2").request("INVITE", 1, false).reply(200, 1, "INVITE").request("ACK", 1, true)
                .request("BYE", 2, true).reply(200, 2, "BYE");
        t = baseMicros + 11 * 60 * 1_000_000L;
        new Call("reg", "node-1").request("REGISTER", 1, false).reply(401, 1, "REGISTER")
                .request("REGISTER", 2, false).reply(200, 2, "REGISTER");
        new Call("refused", "node-1").request("REGISTER", 1, false).reply(403, 1, "REGISTER");
        new Call("ping", "node-1").request("OPTIONS", 1, false).reply(200, 1, "OPTIONS");
    }

    /** The outcome calls above, from {@code baseMicros}. */
    OutcomeCalls(long baseMicros) {
        this(baseMicros, true);
    }

    /**
     * Calls (node-1) captured on each link of their path, from {@code baseMicros}: answered (INVITE 200 ACK BYE 200),
     * {@code hop1} between caller and callee, {@code hop2} through a proxy (10.7.0.5), {@code hop2-old} the same way, and,
     * 6 min later, {@code hop3} through two proxies (10.7.0.5, 10.7.0.6); then, at one hop, {@code unanswered} (INVITE
     * 180, nothing more: once the ring timeout has passed, not answered by timeout) and {@code cancel-only} (INVITE 180
     * CANCEL 200, the 487 not captured).
     */
    static OutcomeCalls hops(long baseMicros) {
        OutcomeCalls c = new OutcomeCalls(baseMicros, false);
        c.answered("hop1", "10.7.0.1", "10.7.0.2");
        c.answered("hop2", "10.7.0.1", "10.7.0.5", "10.7.0.2");
        c.answered("hop2-old", "10.7.0.1", "10.7.0.5", "10.7.0.2");
        c.t = baseMicros + 6 * 60 * 1_000_000L;
        c.answered("hop3", "10.7.0.1", "10.7.0.5", "10.7.0.6", "10.7.0.2");
        c.new Call("unanswered", "node-1").request("INVITE", 1, false).reply(180, 1, "INVITE");
        c.new Call("cancel-only", "node-1").request("INVITE", 1, false).reply(180, 1, "INVITE").request("CANCEL", 1, false)
                .reply(200, 1, "CANCEL");
        return c;
    }

    /** The Call-ID of the call {@code name} ({@code auth}, {@code hop3}...). */
    String callId(String name) {
        return name + "-" + day + "@test";
    }

    private void answered(String name, String... path) {
        new Call(name, "node-1", path).request("INVITE", 1, false).reply(200, 1, "INVITE").request("ACK", 1, true)
                .request("BYE", 2, true).reply(200, 2, "BYE");
    }

    private final class Call {
        private final String callId;
        private final String node;
        /** The addresses the requests pass, caller first; the replies pass them back. */
        private final String[] path;

        Call(String name, String node, String... path) {
            this.callId = callId(name);
            this.node = node;
            this.path = path.length == 0 ? DIRECT : path;
        }

        Call request(String method, int cseq, boolean toTag) {
            String contact = method.equals("REGISTER") ? "Contact: <sip:" + callId.substring(0, callId.indexOf('-'))
                    + "@10.7.0.1:5060>\r\n" : "";
            String text = method + " sip:bob@10.7.0.2 SIP/2.0\r\n" + headers(toTag) + contact + "CSeq: " + cseq + " " + method
                    + "\r\nContent-Length: 0\r\n\r\n";
            for (int i = 0; i + 1 < path.length; i++) {
                add(text, path[i], path[i + 1]);
            }
            return this;
        }

        Call reply(int status, int cseq, String method) {
            String text = "SIP/2.0 " + status + " Reason\r\n" + headers(status > 100) + "CSeq: " + cseq + " " + method
                    + "\r\nContent-Length: 0\r\n\r\n";
            for (int i = path.length - 1; i > 0; i--) {
                add(text, path[i], path[i - 1]);
            }
            return this;
        }

        private String headers(boolean toTag) {
            return "Via: SIP/2.0/UDP 10.7.0.1:5060;branch=z9hG4bK-" + callId.hashCode() + "\r\n"
                    + "From: <sip:alice@10.7.0.1>;tag=a1\r\nTo: <sip:bob@10.7.0.2>" + (toTag ? ";tag=b1" : "")
                    + "\r\nCall-ID: " + callId + "\r\n";
        }

        private void add(String text, String src, String dst) {
            t += 1000; // 1 ms apart
            HepPacket p = new HepPacket(3, 2, 17, ip(src), ip(dst), 5060, 5060, t / 1_000_000, (int) (t % 1_000_000),
                    HepPayloadType.SIP.number(), 5001, null, null, null, node, text.getBytes(StandardCharsets.UTF_8),
                    false, List.of());
            rows.add(new MessageExtractor(Fixture.SETTINGS).extract(p));
        }
    }

}
