package io.hepstack.ingest.sip;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The {@code node} label of a message's metrics: its capture node's name (or capture id), bounded so that
 * no sender can grow every scrape. The first {@code max} distinct names are kept; later ones are
 * {@value #OTHER}; a name longer than {@value #MAX_LENGTH} characters or with a character outside
 * {@code A-Z a-z 0-9 . _ : @ -} is {@value #INVALID}. Thread-safe.
 */
public final class NodeLabels {

    static final String OTHER = "other";
    static final String INVALID = "invalid";
    static final int MAX_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    private final int max;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    public NodeLabels(int max) {
        this.max = max;
    }

    public String of(CapturedMessage m) {
        Envelope e = m.envelope();
        String node = e.node() != null ? e.node() : Long.toString(e.captureId());
        if (names.contains(node)) {
            return node;
        }
        if (!NAME.matcher(node).matches()) {
            return INVALID;
        }
        synchronized (names) {
            if (names.size() >= max && !names.contains(node)) {
                return OTHER;
            }
            names.add(node);
        }
        return node;
    }
}
