package io.hepstack.proto.testing;

/**
 * RTP agents' JSON media reports (HEP type 34) as sipcapture's traffic generator writes them, for tests: every field
 * it writes, with the values that matter to a test chosen by it.
 */
public final class AgentReports {

    private AgentReports() {
    }

    /**
     * A periodic report of the stream {@code src:srcPort → dst:dstPort} of the call {@code callId}: {@code lost} of
     * {@code expected} packets lost, {@code jitterMs} of jitter, the agent's MOS {@code mos}, G.711 A-law.
     */
    public static String stream(String callId, String src, int srcPort, String dst, int dstPort, int expected, int lost,
                                double jitterMs, double mos) {
        return "{\"CORRELATION_ID\":\"" + callId + "\",\"RTP_SIP_CALL_ID\":\"" + callId + "\",\"DELTA\":20.01,\"JITTER\":"
                + jitterMs + ",\"REPORT_TS\":1765000000.5,\"TL_BYTE\":0,\"SKEW\":0.0,\"TOTAL_PK\":" + (expected - lost)
                + ",\"EXPECTED_PK\":" + expected + ",\"PACKET_LOSS\":" + lost + ",\"SEQ\":0,\"MAX_JITTER\":" + (jitterMs * 2)
                + ",\"MAX_DELTA\":21.5,\"MAX_SKEW\":0.2,\"MEAN_JITTER\":" + jitterMs + ",\"MIN_MOS\":" + Math.max(1, mos - 0.2)
                + ",\"MEAN_MOS\":" + mos + ",\"MOS\":" + mos + ",\"RFACTOR\":81.5,\"MIN_RFACTOR\":80.0,\"MEAN_RFACTOR\":81.5,"
                + "\"SRC_IP\":\"" + src + "\",\"SRC_PORT\":" + srcPort + ",\"DST_IP\":\"" + dst + "\",\"DST_PORT\":" + dstPort
                + ",\"SRC_MAC\":\"00-11-22-33-44-55\",\"DST_MAC\":\"66-77-88-99-AA-BB\",\"OUT_ORDER\":0,\"SSRC_CHG\":0,"
                + "\"CODEC_PT\":8,\"CLOCK\":8000,\"CODEC_NAME\":\"PCMA\",\"DIR\":0,\"REPORT_NAME\":\"" + src + ":" + srcPort
                + "\",\"PARTY\":0,\"TYPE\":\"PERIODIC\"}";
    }
}
