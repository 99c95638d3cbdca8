package io.hepstack.proto.store;

import java.util.List;

/**
 * What one {@link PartitionMaintainer#maintain()} round did, for logs and metrics.
 *
 * @param lockAcquired whether this replica held the maintenance lock; when {@code false} another
 *                     replica was maintaining and nothing was done here
 * @param created      partitions created, by name
 * @param dropped      partitions dropped for retention, by name
 * @param ledgerPruned batch ledger entries deleted because older than the ledger retention
 * @param importsForgotten imported captures whose hold expired and whose range the kinds' retention has
 *                     passed: their rows of {@code capture_imports} deleted, their ledger entries left to
 *                     the ledger's pruning
 */
public record MaintenanceReport(boolean lockAcquired, List<String> created, List<String> dropped, long ledgerPruned,
                                long importsForgotten) {

    public MaintenanceReport {
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
    }

    /** A report of a round that pruned no ledger entry. */
    public MaintenanceReport(boolean lockAcquired, List<String> created, List<String> dropped) {
        this(lockAcquired, created, dropped, 0, 0);
    }

    static MaintenanceReport skipped() {
        return new MaintenanceReport(false, List.of(), List.of());
    }
}
