package io.hepstack.api.call;

import io.hepstack.api.search.MessageItem;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call flow's answer from the rows read for its legs, in time order: the SIP messages (and the hosts
 * they pass, in order of appearance), the QoS reports and the log lines, each named by its leg. Which
 * rows are QoS reports and which are logs is their payload type's kind ({@link HepPayloadType#kind()}),
 * the kind the collector stores them as.
 */
final class FlowAssembly {

    private FlowAssembly() {
    }

    /**
     * @param rows        the rows read, in time order, at most {@code maxMessages + 1}
     * @param maxMessages the most messages a flow holds; one row more marks it truncated
     * @param cutByBytes  whether the rows were cut before the one crossing {@code max-bytes}
     */
    static CallFlow assemble(List<CallFlow.Message> rows, LegCorrelation legs, int maxMessages, boolean cutByBytes,
                             Instant from, Instant to) {
        boolean byMessages = rows.size() > maxMessages;
        List<CallFlow.Message> all = byMessages ? rows.subList(0, maxMessages) : rows;
        String truncatedBy = byMessages ? CallFlow.BY_MESSAGES : cutByBytes ? CallFlow.BY_BYTES : null;
        List<CallFlow.Message> sip = new ArrayList<>();
        List<CallFlow.Event> qos = new ArrayList<>();
        List<CallFlow.Event> logs = new ArrayList<>();
        Map<String, CallFlow.Host> hosts = new LinkedHashMap<>();
        for (CallFlow.Message m : all) {
            MessageItem i = m.item();
            String leg = legs.legOf(i.callId(), i.correlationId());
            int type = i.protoType() == null ? -1 : i.protoType();
            HepPayloadType payloadType = HepPayloadType.valueOf(type);
            boolean event = payloadType.kind() == MessageKind.QOS || payloadType.kind() == MessageKind.LOG;
            if (payloadType.equals(HepPayloadType.SIP) || (i.callId() != null && !event)) {
                sip.add(new CallFlow.Message(i, m.raw(), m.rawEncoding(), leg, m.payload()));
                host(hosts, i.srcIp(), i.srcPort());
                host(hosts, i.dstIp(), i.dstPort());
            } else if (event) {
                CallFlow.Event e = new CallFlow.Event(i.id(), i.timestamp(), leg, i.correlationId(), type,
                        i.srcIp(), i.srcPort(), i.dstIp(), i.dstPort(), i.captureId(), i.node(), i.logLevel(), m.raw(),
                        m.rawEncoding(), m.payload());
                (payloadType.kind() == MessageKind.LOG ? logs : qos).add(e);
            }
        }
        return new CallFlow(List.copyOf(legs.legs()), List.copyOf(hosts.values()), sip, qos, logs, from, to,
                truncatedBy != null, truncatedBy);
    }

    private static void host(Map<String, CallFlow.Host> hosts, String ip, Integer port) {
        if (ip == null) {
            return;
        }
        int p = port == null ? 0 : port;
        hosts.putIfAbsent(ip + "|" + p, new CallFlow.Host(ip, p, null));
    }
}
