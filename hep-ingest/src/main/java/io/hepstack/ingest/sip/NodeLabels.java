package io.hepstack.ingest.sip;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

    private static final int ID_SLOTS = 64;

    /** A capture id's label, as last given: agents without a node name are told apart by it alone. */
    private record IdLabel(long captureId, String label) {
    }

    private final int max;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    /**
     * The labels of the capture ids last seen without a node name, by id modulo {@value #ID_SLOTS}: a message of
     * one of them neither formats its id (a third of the KPI tracker's time when every message did) nor allocates.
     */
    private final AtomicReferenceArray<IdLabel> byCaptureId = new AtomicReferenceArray<>(ID_SLOTS);

    public NodeLabels(int max) {
        this.max = max;
    }

    public String of(CapturedMessage m) {
        Envelope e = m.envelope();
        if (e.node() != null) {
            return label(e.node());
        }
        int slot = (int) (e.captureId() & (ID_SLOTS - 1));
        IdLabel known = byCaptureId.get(slot);
        if (known != null && known.captureId() == e.captureId()) {
            return known.label();
        }
        String label = label(Long.toString(e.captureId()));
        byCaptureId.set(slot, new IdLabel(e.captureId(), label));
        return label;
    }

    private String label(String node) {
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
