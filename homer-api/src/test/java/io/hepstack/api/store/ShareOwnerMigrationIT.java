package io.hepstack.api.store;

import io.hepstack.proto.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V8 gives every share link made before it the owner its creator's name meant when the link was made: the
 * account of that name created before the link, the only token of that name created before it; none when
 * that is ambiguous or the account came later (the link then stops, and admins see it).
 */
class ShareOwnerMigrationIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.empty();

    @Test
    void linksMadeBeforeV8AreOwnedByTheAccountOrTheOnlyTokenTheirCreatorsNameMeantThen() throws Exception {
        flyway("6").migrate();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO homer_api.users (username, password_hash, role, created_at)
                    VALUES ('alice', 'x', 'user', now() - interval '2 days'), ('bob', 'x', 'user', now());
                    INSERT INTO homer_api.api_tokens (name, token_hash, role, created_by, created_at)
                    VALUES ('portal', '\\x01', 'user', 'admin', now() - interval '2 days'),
                           ('portal', '\\x02', 'user', 'admin', now() - interval '2 days'),
                           ('solo', '\\x03', 'user', 'admin', now() - interval '2 days');
                    INSERT INTO homer_api.shares (token_hash, call_id, from_ts, to_ts, created_by, created_at, expires_at)
                    SELECT decode(md5(n), 'hex'), 'c@test', now() - interval '3 days', now() - interval '2 days', n,
                           now() - interval '1 day', now() + interval '1 day'
                    FROM unnest(ARRAY['alice', 'bob', 'token:portal', 'token:solo', 'carol']) n""");
        }
        flyway(null).migrate();
        Map<String, String> owners = new HashMap<>();
        try (Connection c = db.openJdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT s.created_by, coalesce('account ' || u.username, 'token ' || k.name, 'none') AS owner
                     FROM homer_api.shares s
                     LEFT JOIN homer_api.users u ON u.id = s.owner_account
                     LEFT JOIN homer_api.api_tokens k ON k.id = s.owner_token""")) {
            while (rs.next()) {
                owners.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(owners).containsOnly(Map.entry("alice", "account alice"), Map.entry("bob", "none"),
                Map.entry("token:portal", "none"), Map.entry("token:solo", "token solo"), Map.entry("carol", "none"));
    }

    private static Flyway flyway(String target) {
        var config = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("homer_api").createSchemas(true).locations("classpath:db/homer-api").cleanDisabled(true);
        return (target == null ? config : config.target(target)).load();
    }
}
