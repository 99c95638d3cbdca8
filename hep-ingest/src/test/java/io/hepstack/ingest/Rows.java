package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.model.MessageKind;

/** Rows for pipeline tests. */
final class Rows {

    private Rows() {
    }

    static CapturedMessage invite(String callId) {
        Envelope envelope = Envelope.builder().timestampMicros(1_700_000_000_000_000L).captureId(2001)
                .source(null, 5060).destination(null, 5060).correlationId(callId).build();
        SipFields sip = SipFields.builder().callId(callId).request("INVITE").cseq(1, "INVITE").build();
        return new CapturedMessage(envelope, MessageKind.SIP_CALL, sip, new byte[]{'I'}, null);
    }
}
