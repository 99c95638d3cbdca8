package io.hepstack.api.search;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.List;
import java.util.Map;

/**
 * One message with its payload and parsed headers.
 *
 * @param item            the search fields
 * @param raw             the payload: as text when it is UTF-8, else base64
 * @param rawEncoding     {@code utf8} or {@code base64}
 * @param headers         every SIP header by name as written, values in order (empty when not SIP)
 * @param sipError        why the payload did not parse as SIP, or the damage that ended its header
 *                        block early (the headers before it are in {@code headers}), or {@code null}
 * @param agentTimestampMicros the agent's own timestamp when it was not believed (docs/schema.md), else {@code null}
 * @param extra           the stored extras (JSON object), or {@code null}
 */
public record MessageDetail(
        @JsonUnwrapped MessageItem item,
        String raw,
        String rawEncoding,
        Map<String, List<String>> headers,
        String sipError,
        Long agentTimestampMicros,
        @JsonRawValue String extra) {
}
