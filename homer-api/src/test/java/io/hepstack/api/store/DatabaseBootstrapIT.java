package io.hepstack.api.store;

import io.hepstack.proto.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseBootstrapIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    private DatabaseBootstrap bootstrap() {
        return new DatabaseBootstrap(db.jdbcUrl(), db.user(), db.password());
    }

    @Test
    void replicasStartingTogetherMigrateOnceAndShareOneGeneratedJwtKeyAndOneAdmin() throws Exception {
        BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
        var replicas = java.util.stream.IntStream.range(0, 3).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
                DatabaseBootstrap b = bootstrap();
                b.migrate();
                boolean created = b.ensureAdmin(null, encoder);
                return new Object[] {b.jwtKey(null), created};
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).toList();
        var results = replicas.stream().map(CompletableFuture::join).toList();

        byte[] key = (byte[]) results.get(0)[0];
        assertThat(key).hasSize(32);
        for (Object[] r : results) {
            assertThat((byte[]) r[0]).isEqualTo(key);
        }
        assertThat(results.stream().filter(r -> (Boolean) r[1]).count()).isEqualTo(1);
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT username, role FROM homer_api.users")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin");
            assertThat(rs.getString(2)).isEqualTo("admin");
            assertThat(rs.next()).isFalse();
        }
        // a configured secret wins over the stored one; a later start does not replace the admin
        assertThat(bootstrap().jwtKey("configured-secret-of-32-bytes-xx")).asString().isEqualTo("configured-secret-of-32-bytes-xx");
        assertThat(bootstrap().ensureAdmin("other", encoder)).isFalse();
    }

    @Test
    void generatedAdminPasswordsAreLongAndRandom() {
        String a = DatabaseBootstrap.randomPassword();
        String b = DatabaseBootstrap.randomPassword();
        assertThat(a).hasSize(20).isNotEqualTo(b);
    }
}
