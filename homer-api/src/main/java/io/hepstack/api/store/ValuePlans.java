package io.hepstack.api.store;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;

/**
 * Runs a statement under a plan made for its values. The driver prepares each statement once per connection and
 * PostgreSQL then reuses a generic plan, made without the values: right for a lookup whose best plan does not depend
 * on them (a Call-ID), wrong where it does. A call list filtered by a user over 7 days is the example: not knowing
 * that the range holds every INVITE of the week, the generic plan ANDs the user's index with the range's and reads
 * 330,000 index entries per day for one call (80 ms), where a plan for the values reads the user's 7 (docs/performance.md,
 * "Plans made for the values"). Such a statement runs in a read-only transaction with {@code plan_cache_mode =
 * force_custom_plan} set for it alone, at the price of its planning each time (0.5-5.6 ms) and two round trips
 * (begin, commit); the transaction ends however the statement does (completed, failed or cancelled), so no
 * connection returns to the pool with the setting.
 */
public final class ValuePlans {

    private final DatabaseClient db;
    private final TransactionalOperator transactions;

    /** @param routing the connections of {@code db} (the transaction must hold the connection its statements use) */
    public ValuePlans(DatabaseClient db, ReadRouting routing) {
        this.db = db;
        DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRED);
        readOnly.setReadOnly(true);
        this.transactions = TransactionalOperator.create(new R2dbcTransactionManager(routing.connections()), readOnly);
    }

    /** {@code statement} (cold, built on {@link #db}'s client) run under plans made for its values. */
    public <T> Flux<T> run(Flux<T> statement) {
        return transactions.transactional(db.sql("SET LOCAL plan_cache_mode = force_custom_plan").then().thenMany(statement));
    }
}
