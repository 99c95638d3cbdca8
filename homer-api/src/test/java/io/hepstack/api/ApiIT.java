package io.hepstack.api;

import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An integration test of the whole API: the application on a random port over a fresh migrated database
 * of its own ({@link TestDatabase}: created before the class, dropped after it), one application per test
 * class. A subclass may declare its own {@code @SpringBootTest} to add properties.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiIT {

    @RegisterExtension
    protected static final TestDatabase db = TestDatabase.migrated();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestApp.database(registry, db);
    }
}
