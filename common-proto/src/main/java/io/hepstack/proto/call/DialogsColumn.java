package io.hepstack.proto.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The form of a record's early dialogs in {@code call_records.dialogs} (jsonb, V18; docs/schema.md): an array of
 * {@code {"toTag", "ip", "port", "firstReplyAt", "ringingAt", "lastStatus", "answered"}}, times in µs since the epoch,
 * {@code ringingAt} null without an 18x, {@code ip} null without an address; the dialogs beyond the bound are counted
 * in {@code call_records.dialogs_dropped}. The one owner of that form: {@link CallRecordStore} writes it, the API reads
 * it with {@link #read}.
 */
public final class DialogsColumn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DialogsColumn() {
    }

    /** The column's JSON of {@code dialogs}' kept dialogs. */
    static String write(CallRecord.Dialogs dialogs) {
        ArrayNode array = JSON.createArrayNode();
        for (CallRecord.Dialog d : dialogs.kept()) {
            ObjectNode o = array.addObject();
            o.put("toTag", d.toTag());
            o.put("ip", d.source() == null ? null : d.source().getAddress().getHostAddress());
            if (d.source() == null) {
                o.putNull("port");
            } else {
                o.put("port", d.source().getPort());
            }
            o.put("firstReplyAt", d.firstReplyAt());
            o.put("ringingAt", d.ringingAt());
            o.put("lastStatus", d.lastStatus());
            o.put("answered", d.answered());
        }
        return array.toString();
    }

    /**
     * The dialogs of a stored record: {@code json} as {@link CallRecordStore} wrote it (null or empty: none), with
     * {@code dropped} counted beyond it.
     *
     * @throws IllegalStateException when {@code json} is not the column's form
     */
    public static CallRecord.Dialogs read(String json, int dropped) {
        if (json == null || json.isEmpty()) {
            return new CallRecord.Dialogs(List.of(), dropped);
        }
        JsonNode array;
        try {
            array = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("call_records.dialogs is not JSON", e);
        }
        if (!array.isArray()) {
            throw new IllegalStateException("call_records.dialogs is not an array (expected: one object per dialog)");
        }
        List<CallRecord.Dialog> kept = new ArrayList<>(array.size());
        for (JsonNode o : array) {
            JsonNode ringing = o.path("ringingAt");
            kept.add(new CallRecord.Dialog(o.path("toTag").asText(), address(o.path("ip"), o.path("port")),
                    o.path("firstReplyAt").asLong(), ringing.isNumber() ? ringing.asLong() : null,
                    o.path("lastStatus").asInt(), o.path("answered").asBoolean()));
        }
        return new CallRecord.Dialogs(kept, dropped);
    }

    /** The address the column holds: an IP literal as {@link InetAddress#getHostAddress} wrote it, never a name. */
    private static InetSocketAddress address(JsonNode ip, JsonNode port) {
        if (!ip.isTextual()) {
            return null;
        }
        String literal = ip.asText();
        if (!literal.contains(":") && !literal.matches("[0-9.]+")) {
            throw new IllegalStateException("call_records.dialogs ip " + literal + " (expected: an IP literal)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port.asInt());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("call_records.dialogs ip " + literal + " (expected: an IP literal)", e);
        }
    }
}
