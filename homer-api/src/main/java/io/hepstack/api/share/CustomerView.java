package io.hepstack.api.share;

import io.hepstack.api.call.CallFlow;
import io.hepstack.api.call.CallRecordView;
import io.hepstack.api.net.IpLiteral;
import io.hepstack.api.net.Network;
import io.hepstack.api.search.MessageItem;
import io.hepstack.api.web.ApiException;
import io.hepstack.proto.call.MediaEndpoints;
import io.hepstack.proto.media.CallMedia;
import io.hepstack.proto.model.HepPayloadType;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the customer of a share link sees, chosen by its creator and applied by the API to every shared answer
 * (flow, messages, QoS, record, text, PCAP and SIPp exports): only the messages, reports and logs of
 * {@code legs}; the addresses of {@code hosts} in clear and, when {@code maskAddresses}, every other address
 * masked ({@link AddressMask}: in the hosts, the messages' source and destination and inside the payloads);
 * when {@code hideAliases}, no alias and no capture node name.
 *
 * @param legs          the Call-IDs shown, the shared Call-ID first; never empty
 * @param hosts         the addresses shown in clear when {@code maskAddresses} (the customer's own hosts)
 * @param maskAddresses whether every address not in {@code hosts} is masked
 * @param hideAliases   whether aliases (the ladder's host names) and capture node names are hidden
 */
public record CustomerView(List<String> legs, List<String> hosts, boolean maskAddresses, boolean hideAliases) {

    /** The most legs or hosts a view names (the database bounds them the same way). */
    public static final int MAX_ITEMS = 200;

    public CustomerView {
        legs = List.copyOf(legs);
        hosts = List.copyOf(hosts);
    }

    /**
     * The view a creator asks for, checked against the call as its creator sees it now; an omitted part takes
     * its default: the shared leg only, the hosts of the customer's side ({@code defaultHosts}), addresses masked,
     * aliases hidden.
     *
     * @throws ApiException 400 naming the part that is wrong: a leg that is not one of the call's, a view
     *                      without the shared Call-ID, a host that is not an address of the call
     */
    public static CustomerView choose(Choice choice, String callId, CallFlow flow, List<String> defaultHosts) {
        Choice c = choice == null ? new Choice(null, null, null, null) : choice;
        List<String> legs = c.legs() == null ? List.of(callId) : c.legs();
        if (legs.size() > MAX_ITEMS || (c.hosts() != null && c.hosts().size() > MAX_ITEMS)) {
            throw ApiException.badRequest("view: at most " + MAX_ITEMS + " legs and " + MAX_ITEMS + " hosts");
        }
        for (String leg : legs) {
            if (leg == null || !flow.callIds().contains(leg)) {
                throw ApiException.badRequest("view.legs: not a leg of this call: " + leg + " (its legs: "
                        + String.join(", ", flow.callIds()) + ")");
            }
        }
        if (!legs.contains(callId)) {
            throw ApiException.badRequest("view.legs: must include the shared Call-ID " + callId);
        }
        Set<String> known = new LinkedHashSet<>();
        flow.hosts().forEach(h -> known.add(h.ip()));
        List<String> hosts = c.hosts() == null ? defaultHosts : c.hosts();
        for (String host : hosts) {
            if (IpLiteral.parse(host) == null) {
                throw ApiException.badRequest("view.hosts: not an IP address: " + host);
            }
            if (!known.contains(host)) {
                throw ApiException.badRequest("view.hosts: not a host of this call: " + host + " (its hosts: "
                        + String.join(", ", known) + ")");
            }
        }
        List<String> orderedLegs = new ArrayList<>(new LinkedHashSet<>(legs));
        orderedLegs.remove(callId);
        orderedLegs.add(0, callId);
        return new CustomerView(orderedLegs, List.copyOf(new LinkedHashSet<>(hosts)),
                c.maskAddresses() == null || c.maskAddresses(), c.hideAliases() == null || c.hideAliases());
    }

    /**
     * The customer's side of a call, the default of {@code hosts}: for a tenant-scoped creator, the call's hosts
     * within the tenant's networks; else (or when none is) the address that sent the shared Call-ID's first
     * message, the side that placed the call.
     */
    public static List<String> customerSide(CallFlow flow, String callId, io.hepstack.api.query.Scope scope) {
        Set<String> side = new LinkedHashSet<>();
        List<Network> networks = scope.networks().stream().map(Network::parse).filter(Objects::nonNull).toList();
        for (CallFlow.Host h : flow.hosts()) {
            InetAddress ip = IpLiteral.parse(h.ip());
            if (ip != null && networks.stream().anyMatch(n -> n.contains(ip))) {
                side.add(h.ip());
            }
        }
        if (side.isEmpty()) {
            flow.messages().stream().filter(m -> callId.equals(m.legCallId()) && m.item().srcIp() != null).findFirst()
                    .ifPresent(m -> side.add(m.item().srcIp()));
        }
        return List.copyOf(side);
    }

    /** A creator's choice as the API takes it; every part may be omitted ({@link #choose} gives its default). */
    public record Choice(List<String> legs, List<String> hosts, Boolean maskAddresses, Boolean hideAliases) {
    }

    /** The flow as the customer sees it: the chosen legs only, addresses masked and aliases hidden as chosen. */
    public CallFlow apply(CallFlow flow) {
        return shown(flow, new AddressMask(Set.copyOf(hosts)));
    }

    private CallFlow shown(CallFlow flow, AddressMask mask) {
        Set<String> shown = Set.copyOf(legs);
        List<CallFlow.Message> messages = new ArrayList<>();
        MediaEndpoints media = new MediaEndpoints();
        for (CallFlow.Message m : flow.messages()) {
            if (m.legCallId() != null && shown.contains(m.legCallId())) {
                messages.add(m);
                if (m.item().protoType() != null && m.item().protoType() == HepPayloadType.SIP.number()) {
                    media.add(m.payload());
                }
            }
        }
        // reports and logs of a chosen leg, and reports named by no call whose ends are the chosen legs' media
        List<CallFlow.Event> qos = flow.qos().stream().filter(e -> e.legCallId() == null
                ? media.covers(CallMedia.endpoint(e.srcIp(), e.srcPort()), CallMedia.endpoint(e.dstIp(), e.dstPort()))
                : shown.contains(e.legCallId())).toList();
        List<CallFlow.Event> logs = flow.logs().stream().filter(e -> e.legCallId() != null && shown.contains(e.legCallId())).toList();
        Map<String, CallFlow.Host> hostsSeen = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        flow.hosts().forEach(h -> aliases.put(h.ip() + "|" + h.port(), h.alias()));
        List<CallFlow.Message> outMessages = new ArrayList<>(messages.size());
        for (CallFlow.Message m : messages) {
            MessageItem i = m.item();
            host(hostsSeen, mask, aliases, i.srcIp(), i.srcPort());
            host(hostsSeen, mask, aliases, i.dstIp(), i.dstPort());
            outMessages.add(message(m, mask));
        }
        return new CallFlow(legs.stream().filter(flow.callIds()::contains).toList(), List.copyOf(hostsSeen.values()),
                outMessages, qos.stream().map(e -> event(e, mask)).toList(), logs.stream().map(e -> event(e, mask)).toList(),
                flow.from(), flow.to(), flow.truncated(), flow.truncatedBy());
    }

    /**
     * The call's record as the customer sees it: its source, target and early dialogs' sources masked as in the customer's flow
     * ({@code flow} is the flow as read, before {@link #apply}, for the numbering of masked addresses), its
     * nodes hidden when aliases are.
     */
    public CallRecordView apply(CallRecordView r, CallFlow flow) {
        AddressMask mask = new AddressMask(Set.copyOf(hosts));
        shown(flow, mask);
        return new CallRecordView(r.callId(), r.state(), r.hangupBy(), r.finalStatus(), r.finalPhrase(), r.reason(),
                r.caller(), r.callee(), r.ruriUser(), endpoint(r.source(), mask), endpoint(r.target(), mask),
                hideAliases ? List.of() : r.nodes(), r.startedAt(), r.firstProvisionalAt(), r.ringingAt(), r.answeredAt(),
                r.endedAt(), r.pddMs(), r.setupMs(), r.ringMs(), r.durationMs(), r.codecs(), r.messages(),
                r.retransmissions(), r.reInvites(), r.inviteHops(), r.media(), r.updatedAt(),
                r.dialogs().stream().map(d -> new CallRecordView.Dialog(d.toTag(), endpoint(d.source(), mask), d.firstReplyAt(),
                        d.ringingAt(), d.lastStatus(), d.answered(), d.cancelled())).toList(), r.dialogsDropped());
    }

    private CallRecordView.Endpoint endpoint(CallRecordView.Endpoint e, AddressMask mask) {
        return e == null || !maskAddresses ? e : new CallRecordView.Endpoint(mask.address(e.ip()), e.port());
    }

    private void host(Map<String, CallFlow.Host> seen, AddressMask mask, Map<String, String> aliases, String ip, Integer port) {
        if (ip == null) {
            return;
        }
        int p = port == null ? 0 : port;
        String key = ip + "|" + p;
        if (seen.containsKey(key)) {
            return;
        }
        boolean masked = maskAddresses && mask.masks(ip);
        String alias = masked ? mask.label(ip) : hideAliases ? null : aliases.get(key);
        seen.put(key, new CallFlow.Host(masked ? mask.address(ip) : ip, p, alias));
    }

    private CallFlow.Message message(CallFlow.Message m, AddressMask mask) {
        MessageItem i = m.item();
        if (!maskAddresses && !hideAliases) {
            return m;
        }
        String src = maskAddresses ? mask.address(i.srcIp()) : i.srcIp();
        String dst = maskAddresses ? mask.address(i.dstIp()) : i.dstIp();
        MessageItem shown = new MessageItem(i.id(), i.timestamp(), i.callId(), i.correlationId(), i.method(), i.status(),
                i.cseq(), i.fromUser(), i.toUser(), i.ruriUser(), i.userAgent(), i.logLevel(), src, i.srcPort(), dst,
                i.dstPort(), i.transport(), i.protoType(), hideAliases ? null : i.captureId(), hideAliases ? null : i.node(),
                i.size(), i.agentClockSkewMicros());
        if (!maskAddresses) {
            return new CallFlow.Message(shown, m.raw(), m.rawEncoding(), m.legCallId(), m.payload());
        }
        byte[] payload = mask.payload(m.payload());
        String raw = m.raw() == null ? null : "base64".equals(m.rawEncoding())
                ? java.util.Base64.getEncoder().encodeToString(payload) : mask.text(m.raw());
        return new CallFlow.Message(shown, raw, m.rawEncoding(), m.legCallId(), payload);
    }

    /**
     * A report or log line: its ends masked, its text masked; a binary report (RTCP) keeps its bytes for the
     * media quality computed on the server, but its raw form is not shown (an SDES item may name an address).
     */
    private CallFlow.Event event(CallFlow.Event e, AddressMask mask) {
        if (!maskAddresses && !hideAliases) {
            return e;
        }
        String raw = e.raw();
        String encoding = e.rawEncoding();
        if (maskAddresses && raw != null) {
            boolean binary = "base64".equals(encoding);
            raw = binary ? null : mask.text(raw);
            encoding = binary ? null : encoding;
        }
        return new CallFlow.Event(e.id(), e.timestamp(), e.legCallId(), e.correlationId(), e.protoType(),
                maskAddresses ? mask.address(e.srcIp()) : e.srcIp(), e.srcPort(),
                maskAddresses ? mask.address(e.dstIp()) : e.dstIp(), e.dstPort(),
                hideAliases ? null : e.captureId(), hideAliases ? null : e.node(), e.logLevel(), raw, encoding,
                maskAddresses && !"base64".equals(e.rawEncoding()) ? mask.payload(e.payload()) : e.payload());
    }
}
