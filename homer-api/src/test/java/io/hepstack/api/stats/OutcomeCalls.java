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
 * the collector's rows (in the spirit of the call package's {@code CraftedCalls}). From {@code base}:
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
 *   reg@test      REGISTER 401 REGISTER(CSeq 2) 200                  node-1   one registration, succeeded
 *   ping@test     OPTIONS 200                                        node-1
 * </pre>
 */
final class OutcomeCalls {

    final long base;
    final List<CapturedMessage> rows = new ArrayList<>();
    private long t;

    OutcomeCalls(long baseMicros) {
        this.base = baseMicros;
        this.t = baseMicros;
        Call auth = new Call("auth@test", "node-1");
        auth.request("INVITE", 1, false).reply(407, 1, "INVITE").request("ACK", 1, true)
                .request("INVITE", 2, false).reply(100, 2, "INVITE").reply(180, 2, "INVITE").reply(200, 2, "INVITE")
                .request("ACK", 2, true).request("BYE", 3, true).reply(200, 3, "BYE");
        new Call("busy@test", "node-1").request("INVITE", 1, false).reply(180, 1, "INVITE").reply(486, 1, "INVITE")
                .request("ACK", 1, true);
        new Call("down@test", "node-1").request("INVITE", 1, false).reply(503, 1, "INVITE").request("ACK", 1, true);
        new Call("timeout@test", "node-2").request("INVITE", 1, false).reply(408, 1, "INVITE");
        new Call("cancel@test", "node-2").request("INVITE", 1, false).reply(180, 1, "INVITE").request("CANCEL", 1, false)
                .reply(200, 1, "CANCEL").reply(487, 1, "INVITE").request("ACK", 1, true);
        new Call("moved@test", "node-2").request("INVITE", 1, false).reply(302, 1, "INVITE").request("ACK", 1, true);
        t = baseMicros + 6 * 60 * 1_000_000L;
        new Call("late@test", "node-2").request("INVITE", 1, false).reply(200, 1, "INVITE").request("ACK", 1, true)
                .request("BYE", 2, true).reply(200, 2, "BYE");
        t = baseMicros + 11 * 60 * 1_000_000L;
        new Call("reg@test", "node-1").request("REGISTER", 1, false).reply(401, 1, "REGISTER")
                .request("REGISTER", 2, false).reply(200, 2, "REGISTER");
        new Call("ping@test", "node-1").request("OPTIONS", 1, false).reply(200, 1, "OPTIONS");
    }

    private final class Call {
        private final String callId;
        private final String node;

        Call(String callId, String node) {
            this.callId = callId;
            this.node = node;
        }

        Call request(String method, int cseq, boolean toTag) {
            add(method + " sip:bob@10.7.0.2 SIP/2.0\r\n" + headers(toTag) + "CSeq: " + cseq + " " + method
                    + "\r\nContent-Length: 0\r\n\r\n", "10.7.0.1", "10.7.0.2");
            return this;
        }

        Call reply(int status, int cseq, String method) {
            add("SIP/2.0 " + status + " Reason\r\n" + headers(status > 100) + "CSeq: " + cseq + " " + method
                    + "\r\nContent-Length: 0\r\n\r\n", "10.7.0.2", "10.7.0.1");
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
