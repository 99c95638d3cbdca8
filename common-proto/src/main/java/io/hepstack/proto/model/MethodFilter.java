package io.hepstack.proto.model;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The SIP methods an operator does not store (OPTIONS keep-alives, say): a message is discarded when its
 * CSeq method, or its request method when it has no CSeq, is one of them, so a request and its replies go
 * together. The one rule the collector and every other writer (a PCAP import) apply.
 *
 * @param methods upper-case method names; empty: nothing is discarded
 */
public record MethodFilter(Set<String> methods) {

    /** Discards nothing. */
    public static final MethodFilter NONE = new MethodFilter(Set.of());

    public MethodFilter {
        methods = Set.copyOf(methods);
    }

    /** The filter of configured names: trimmed, upper-cased, blanks ignored. */
    public static MethodFilter of(Collection<String> names) {
        return new MethodFilter(names.stream().map(n -> n.trim().toUpperCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    /** The method {@code m} is discarded for, or {@code null} when it is kept. */
    public String discarded(CapturedMessage m) {
        if (methods.isEmpty()) {
            return null;
        }
        SipFields sip = m.sip();
        if (sip == null) {
            return null;
        }
        String method = sip.cseqMethod() != null ? sip.cseqMethod() : sip.method();
        return method != null && methods.contains(method) ? method : null;
    }
}
