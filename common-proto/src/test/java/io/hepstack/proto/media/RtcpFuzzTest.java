package io.hepstack.proto.media;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the RTCP readers: any bytes give a report or an {@link RtcpDecodeException} with
 * a reason and a message, nothing else, from the binary parser, the JSON reader and the RTP agents' reader
 * ({@link AgentReport}) alike; a report read from
 * binary RTCP writes back to bytes that read as the same report.
 *
 * <p>{@code ./mvnw verify} replays the seeds in
 * {@code src/test/resources/io/hepstack/proto/media/RtcpFuzzTestInputs/}; {@code ./hepstack test} also
 * fuzzes for a bounded time.
 */
class RtcpFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void readsOrRejectsAnyBytes(byte[] input) {
        RtcpReport r;
        try {
            r = RtcpParser.parse(input);
        } catch (RtcpDecodeException e) {
            requireReason(e);
            r = null;
        }
        if (r != null) {
            try {
                RtcpReport again = RtcpParser.parse(RtcpWriter.write(r));
                if (!again.equals(r)) {
                    throw new AssertionError("write then read differs: " + r + " / " + again);
                }
            } catch (RtcpDecodeException e) {
                throw new AssertionError("a written report is refused: " + e.summary(), e);
            }
        }
        try {
            RtcpJson.parse(input);
        } catch (RtcpDecodeException e) {
            requireReason(e);
        }
        try {
            AgentReport.parse(input).toRtcp(); // HEP types 34 and 35
        } catch (RtcpDecodeException e) {
            requireReason(e);
        }
    }

    private static void requireReason(RtcpDecodeException e) {
        if (e.reason() == null || e.getMessage() == null || e.getMessage().isEmpty()) {
            throw new AssertionError("rejection without reason or message", e);
        }
    }
}
