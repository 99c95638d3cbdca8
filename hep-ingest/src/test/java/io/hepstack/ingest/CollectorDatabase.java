package io.hepstack.ingest;

import io.hepstack.proto.store.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The Spring properties that point a collector started by a test at a {@link TestDatabase}. */
public final class CollectorDatabase {

    private CollectorDatabase() {
    }

    /** For a test's {@code @DynamicPropertySource}: the collector stores into {@code db}. */
    public static void register(TestDatabase db, DynamicPropertyRegistry r) {
        r.add("spring.r2dbc.url", db::r2dbcUrl);
        r.add("spring.r2dbc.username", db::user);
        r.add("spring.r2dbc.password", () -> db.password() == null ? "unused" : db.password());
    }
}
