package io.hepstack.api;

import io.hepstack.proto.store.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Wiring of the application under test to a {@link TestDatabase}. */
public final class TestApp {

    /** The admin password every test application starts with. */
    public static final String ADMIN_PASSWORD = "admin-test-password";
    /** The JWT key of test applications that configure one (32 bytes). */
    public static final String JWT_SECRET = "test-jwt-secret-of-32-bytes-long";

    private TestApp() {
    }

    /** Database, fast password hashing and a known admin password. */
    public static void database(DynamicPropertyRegistry registry, TestDatabase db) {
        registry.add("spring.r2dbc.url", db::r2dbcUrl);
        registry.add("spring.r2dbc.username", db::user);
        registry.add("spring.r2dbc.password", () -> db.password() == null ? "" : db.password());
        registry.add("homer.api.auth.bcrypt-strength", () -> "4");
        registry.add("homer.api.auth.admin-password", () -> ADMIN_PASSWORD);
        registry.add("server.address", () -> "127.0.0.1");
    }
}
