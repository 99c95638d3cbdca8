package io.hepstack.api.call;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.hepstack.api.search.MessageItem;

import java.time.Instant;
import java.util.List;

/**
 * A call and everything correlated to it, in time order (µs, then storage order).
 *
 * @param callIds   the requested Call-ID first, then every correlated leg in order of discovery
 * @param hosts     every address:port the SIP messages travel between, in order of first appearance
 * @param messages  the SIP messages of every leg
 * @param qos       RTCP/QoS reports (HEP types 5, 34, 35) correlated to a leg
 * @param logs      log lines (HEP type 100) correlated to a leg
 * @param from      start of the window searched
 * @param to        end of the window searched (exclusive)
 * @param truncated whether a bound cut the flow short
 * @param truncatedBy which one: {@code messages} ({@code homer.api.flow.max-messages}) or {@code bytes}
 *                    ({@code homer.api.flow.max-bytes}); {@code null} when the flow is whole
 */
public record CallFlow(
        List<String> callIds,
        List<Host> hosts,
        List<Message> messages,
        List<Event> qos,
        List<Event> logs,
        Instant from,
        Instant to,
        boolean truncated,
        String truncatedBy) {

    /** {@link #truncatedBy} of a flow cut at {@code max-messages}. */
    public static final String BY_MESSAGES = "messages";
    /** {@link #truncatedBy} of a flow cut at {@code max-bytes}. */
    public static final String BY_BYTES = "bytes";

    /** An endpoint of the flow; {@code alias} is its configured name, or {@code null}. */
    public record Host(String ip, int port, String alias) {
    }

    /** A SIP message of the flow: the search item plus its payload and leg. */
    public record Message(@JsonUnwrapped MessageItem item, String raw, String rawEncoding, String legCallId,
                          @JsonIgnore byte[] payload) {
    }

    /** A QoS report or log line of the flow, with its payload's bytes for readers on the server. */
    public record Event(String id, Instant timestamp, String legCallId, String correlationId, Integer protoType,
                        String srcIp, Integer srcPort, String dstIp, Integer dstPort, Long captureId, String node,
                        String logLevel, String raw, String rawEncoding, @JsonIgnore byte[] payload) {
    }
}
