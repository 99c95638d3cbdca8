package io.hepstack.ingest;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.MessageKind;

/** Rows for pipeline tests. */
final class Rows {

    private Rows() {
    }

    static CapturedMessage invite(String callId) {
        return new CapturedMessage(1_700_000_000_000_000L, MessageKind.SIP_CALL, 2001, null, 1, 2, 17, null, 5060,
                null, 5060, callId, callId, "INVITE", null, 1L, "INVITE", null, null, null, null, null, null, null,
                true, new byte[]{'I'}, null);
    }
}
