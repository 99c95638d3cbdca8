package io.hepstack.api.share;

import io.hepstack.api.AdminApiIT;
import io.hepstack.api.Fixture;
import io.hepstack.api.Http;
import io.hepstack.api.web.Times;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share link belongs to the account or API token that made it, by id: two tokens of one name in two
 * tenants are two owners, a new account of a deleted one's name owns nothing of the old one's, and a
 * link stops working while its creator is disabled and for good once it is deleted (admins still list it).
 */
@SuppressWarnings("unchecked")
class ShareOwnerIT extends AdminApiIT {

    static final String PASSWORD = "share-owner-password-1";
    static long t0;
    static String from;
    static String to;

    @BeforeAll
    static void storeOneCallPerTenant() {
        // an hour ago, whatever the date: the links' windows are in the past, as a link's must be
        t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toEpochMilli() * 1000;
        Fixture.store(db.connectionFactory(), List.of(
                Fixture.sipRequest("INVITE", "acme-call@test", "acme-node", t0),
                Fixture.sipRequest("INVITE", "globex-call@test", "globex-node", t0 + 1000)));
        from = Times.format(Fixture.instant(t0 - 1_000_000));
        to = Times.format(Fixture.instant(t0 + 1_000_000));
    }

    @Test
    void twoTokensOfOneNameInTwoTenantsOwnTheirOwnLinksOnly() {
        tenant("acme", "acme-node");
        tenant("globex", "globex-node");
        WebTestClient acmePortal = Http.as(anonymous, token("portal", "acme"));
        WebTestClient globexPortal = Http.as(anonymous, token("portal", "globex"));
        Map<String, Object> acmeShare = share(acmePortal, "acme-call@test");
        Map<String, Object> globexShare = share(globexPortal, "globex-call@test");

        assertThat(ids(acmePortal)).containsExactly(id(acmeShare));
        assertThat(ids(globexPortal)).containsExactly(id(globexShare));
        acmePortal.delete().uri("/api/v1/shares/{id}", id(globexShare)).exchange().expectStatus().isNotFound()
                .expectBody(Void.class);
        anonymous.get().uri("/api/v1/shared/{t}/flow", globexShare.get("token")).exchange().expectStatus().isOk()
                .expectBody(Void.class);
        globexPortal.delete().uri("/api/v1/shares/{id}", id(globexShare)).exchange().expectStatus().isNoContent()
                .expectBody(Void.class);
        assertThat(ids(acmePortal)).containsExactly(id(acmeShare));
    }

    @Test
    void aDisabledCreatorsLinksStopUntilEnabledAndADeletedOnesForGoodWhileAdminsStillListThem() {
        account("dana", null);
        WebTestClient dana = Http.as(anonymous, Http.login(anonymous, "dana", PASSWORD));
        Map<String, Object> link = share(dana, "acme-call@test");
        String token = (String) link.get("token");
        shared(token).isOk();

        patch("dana", Map.of("disabled", true));
        shared(token).isNotFound();
        assertThat(adminView(id(link))).containsEntry("creator", "disabled");
        patch("dana", Map.of("disabled", false));
        shared(token).isOk();
        assertThat(adminView(id(link))).containsEntry("creator", "active");

        admin.delete().uri("/api/v1/users/dana").exchange().expectStatus().isNoContent().expectBody(Void.class);
        shared(token).isNotFound();
        assertThat(adminView(id(link))).containsEntry("creator", "deleted").containsEntry("createdBy", "dana");

        // a new account of the same name, in a tenant, is another owner: it neither lists nor revokes the old link
        tenant("initech", "initech-node");
        account("dana", "initech");
        WebTestClient newDana = Http.as(anonymous, Http.login(anonymous, "dana", PASSWORD));
        assertThat(ids(newDana)).isEmpty();
        newDana.delete().uri("/api/v1/shares/{id}", id(link)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        shared(token).isNotFound();
        admin.delete().uri("/api/v1/shares/{id}", id(link)).exchange().expectStatus().isNoContent().expectBody(Void.class);
    }

    @Test
    void aDeletedTokensLinksStop() {
        Map<String, Object> created = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "nightly", "role", "user")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> link = share(Http.as(anonymous, (String) created.get("token")), "acme-call@test");
        shared((String) link.get("token")).isOk();
        admin.delete().uri("/api/v1/tokens/{id}", created.get("id")).exchange().expectStatus().isNoContent().expectBody(Void.class);
        shared((String) link.get("token")).isNotFound();
        assertThat(adminView(id(link))).containsEntry("creator", "deleted").containsEntry("createdBy", "token:nightly");
    }

    private org.springframework.test.web.reactive.server.StatusAssertions shared(String token) {
        WebTestClient.ResponseSpec spec = anonymous.get().uri("/api/v1/shared/{t}/flow", token).exchange();
        spec.expectBody(Void.class);
        return spec.expectStatus();
    }

    private void tenant(String name, String node) {
        admin.post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "nodes", List.of(node), "networks", List.of()))
                .exchange().expectStatus().isCreated().expectBody(Void.class);
    }

    private String token(String name, String tenant) {
        Map<String, Object> created = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "role", "user", "tenant", tenant)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("token");
    }

    private void account(String name, String tenant) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("username", name, "password", PASSWORD, "role", "user"));
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Void.class);
    }

    private void patch(String name, Map<String, Object> body) {
        admin.patch().uri("/api/v1/users/{u}", name).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(Void.class);
    }

    private static Map<String, Object> share(WebTestClient as, String callId) {
        return as.post().uri("/api/v1/shares").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("callId", callId, "from", from, "to", to)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Long> ids(WebTestClient as) {
        Map<String, Object> page = as.get().uri("/api/v1/shares").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(ShareOwnerIT::id).toList();
    }

    private Map<String, Object> adminView(long id) {
        Map<String, Object> page = admin.get().uri("/api/v1/shares").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().filter(s -> id(s) == id).findFirst().orElseThrow();
    }

    private static long id(Map<String, Object> share) {
        return ((Number) share.get("id")).longValue();
    }
}
