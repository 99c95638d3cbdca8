package io.hepstack.api.auth;

import io.hepstack.api.ApiIT;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.hepstack.api.Http;
import io.hepstack.api.TestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "homer.api.auth.jwt-secret=" + TestApp.JWT_SECRET)
class AuthIT extends ApiIT {

    @Autowired
    WebTestClient http;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @BeforeEach
    void patientClient() {
        http = http.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build();
    }

    @Test
    void loginWithTheAdminPasswordReturnsAWorkingTokenAndItsExpiry() {
        Map<?, ?> body = http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", TestApp.ADMIN_PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((String) body.get("token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat((String) body.get("expiresAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(Instant.parse((String) body.get("expiresAt"))).isAfter(Instant.now().plusSeconds(3600));

        Http.as(http, (String) body.get("token")).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("admin").jsonPath("$.role").isEqualTo("admin");
    }

    @Test
    void loginWithAWrongPasswordOrUnknownUserIsRefusedAlike() {
        for (Map<String, String> credentials : List.of(Map.of("username", "admin", "password", "wrong"),
                Map.of("username", "nobody", "password", TestApp.ADMIN_PASSWORD))) {
            http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(credentials)
                    .exchange().expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.message").isEqualTo("invalid username or password");
        }
    }

    @Test
    void loginWithoutAPasswordIsABadRequest() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("bad_request");
    }

    @Test
    void requestsWithoutATokenAreRefusedWith401() {
        http.get().uri("/api/v1/messages").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody().jsonPath("$.error").isEqualTo("unauthorized");
        http.get().uri("/api/v1/messages").header("Authorization", "Basic YWRtaW46YWRtaW4=").exchange()
                .expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        String forged = sign(JWSAlgorithm.HS256, "another-secret-of-at-least-32-bytes!!", claims(Instant.now().plusSeconds(600)));
        Http.as(http, forged).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.message").isEqualTo("invalid bearer token");
    }

    @Test
    void aTokenWithAlgNoneIsRefused() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims(Instant.now().plusSeconds(600)).toString().getBytes(StandardCharsets.UTF_8));
        for (String token : List.of(header + "." + payload + ".", header + "." + payload)) {
            Http.as(http, token).get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        }
    }

    @Test
    void aTokenOfAnotherHmacAlgorithmWithTheRightKeyIsRefused() throws Exception {
        String hs512 = sign(JWSAlgorithm.HS512, TestApp.JWT_SECRET + TestApp.JWT_SECRET, claims(Instant.now().plusSeconds(600)));
        Http.as(http, hs512).get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String expired = sign(JWSAlgorithm.HS256, TestApp.JWT_SECRET, claims(Instant.now().minusSeconds(1)));
        Http.as(http, expired).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.message").isEqualTo("bearer token expired");
    }

    @Test
    void aValidlySignedTokenOfAnUnknownAccountIsRefused() throws Exception {
        JWTClaimsSet ghost = new JWTClaimsSet.Builder(claims(Instant.now().plusSeconds(600))).subject("ghost").build();
        Http.as(http, sign(JWSAlgorithm.HS256, TestApp.JWT_SECRET, ghost)).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    void garbageBearerTokensAreRefusedWith401() {
        for (String token : List.of("x", "a.b.c", "hsk_unknown", "hsk_" + "A".repeat(500), "é.é.é", "A".repeat(5000))) {
            Http.as(http, token).get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        }
    }

    @Test
    void apiTokensCreatedByAnAdminWorkAsBearerUntilDeleted() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        Map<?, ?> created = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "nightly export", "role", "viewer"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String token = (String) created.get("token");
        assertThat(token).startsWith("hsk_").hasSize(47);

        WebTestClient script = Http.as(http, token);
        script.get().uri("/api/v1/auth/me").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("token:nightly export")
                .jsonPath("$.role").isEqualTo("viewer").jsonPath("$.kind").isEqualTo("API_TOKEN");
        // a viewer may not manage tokens
        script.get().uri("/api/v1/tokens").exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error").isEqualTo("forbidden");

        String listed = admin.get().uri("/api/v1/tokens").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains("nightly export").doesNotContain(token).doesNotContain(token.substring(4, 20));

        admin.delete().uri("/api/v1/tokens/{id}", created.get("id")).exchange().expectStatus().isNoContent().expectBody().isEmpty();
        script.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        admin.delete().uri("/api/v1/tokens/{id}", created.get("id")).exchange().expectStatus().isNotFound().expectBody().returnResult();
    }

    @Test
    void anExpiredApiTokenIsRefused() throws Exception {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        Map<?, ?> created = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "short", "expiresAt", Instant.now().plusSeconds(1).toString()))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        Thread.sleep(1200);
        Http.as(http, (String) created.get("token")).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (WebTestClient.ResponseSpec response : List.of(
                http.get().uri("/api/v1/messages").exchange(),
                Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD)).get().uri("/api/v1/auth/me").exchange())) {
            response.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().value("Cache-Control", v -> assertThat(v).contains("no-store"))
                    .expectHeader().value("Content-Security-Policy", v -> assertThat(v).contains("default-src 'none'"))
                    .expectBody().returnResult();
        }
    }

    @Test
    void crossOriginRequestsGetNoCorsGrantByDefault() {
        http.options().uri("/api/v1/messages")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .exchange()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin").expectBody().returnResult();
        http.get().uri("/api/v1/messages").header("Origin", "https://evil.example").exchange()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin").expectBody().returnResult();
    }

    @Test
    void theOpenApiDocumentIsServedWithoutLogin() {
        http.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/api/v1/auth/login']").exists();
    }

    @Test
    void anAdminManagesAccountsAndChangesTakeEffectAtOnce() throws Exception {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", "carol-password-1", "role", "user"))
                .exchange().expectStatus().isCreated()
                .expectBody().jsonPath("$.username").isEqualTo("carol").jsonPath("$.role").isEqualTo("user")
                .jsonPath("$.passwordHash").doesNotExist();
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "carol", "password", "carol-password-1", "role", "user"))
                .exchange().expectStatus().isEqualTo(409).expectBody().returnResult();
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "dave", "password", "short", "role", "user"))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult();

        WebTestClient carol = Http.as(http, Http.login(http, "carol", "carol-password-1"));
        carol.get().uri("/api/v1/auth/me").exchange().expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("user");
        carol.get().uri("/api/v1/users").exchange().expectStatus().isForbidden().expectBody().returnResult();

        admin.patch().uri("/api/v1/users/carol").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "viewer")).exchange().expectStatus().isOk().expectBody().returnResult();
        carol.get().uri("/api/v1/auth/me").exchange().expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("viewer");

        admin.patch().uri("/api/v1/users/carol").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("disabled", true)).exchange().expectStatus().isOk().expectBody().returnResult();
        carol.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();

        admin.delete().uri("/api/v1/users/carol").exchange().expectStatus().isNoContent().expectBody().isEmpty();
        admin.delete().uri("/api/v1/users/carol").exchange().expectStatus().isNotFound().expectBody().returnResult();
        admin.delete().uri("/api/v1/users/admin").exchange().expectStatus().isBadRequest().expectBody().returnResult();
    }

    @Test
    void changingOnesPasswordEndsEverySessionOfTheAccountEvenOneOpenedInTheSameSecond() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        createUser(admin, "erin", "erin-password-1", "viewer");
        WebTestClient before = Http.as(http, Http.login(http, "erin", "erin-password-1"));
        WebTestClient sameSecond = Http.as(http, Http.login(http, "erin", "erin-password-1"));
        before.post().uri("/api/v1/auth/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", "wrong-password", "newPassword", "erin-password-2"))
                .exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        before.post().uri("/api/v1/auth/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", "erin-password-1", "newPassword", "erin-password-2"))
                .exchange().expectStatus().isNoContent().expectBody().isEmpty();
        before.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        sameSecond.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        Http.as(http, Http.login(http, "erin", "erin-password-2")).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isOk().expectBody().returnResult();
    }

    @Autowired
    AccountStore accounts;

    @Test
    void aLoginWhosePasswordWasCheckedBeforeAChangeGetsNoSession() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        createUser(admin, "gina", "gina-password-1", "viewer");
        // a login reads the account and checks the old password ...
        AccountStore.Account read = accounts.findAccount("gina").block();
        // ... while an admin resets the password
        admin.patch().uri("/api/v1/users/gina").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "gina-password-2")).exchange().expectStatus().isOk().expectBody().returnResult();
        // the session of the login that checked the old password is not stored
        assertThat(accounts.openSession(read, java.util.UUID.randomUUID(), Instant.now().plusSeconds(600)).block()).isFalse();
        assertThat(accounts.openSession(accounts.findAccount("gina").block(), java.util.UUID.randomUUID(),
                Instant.now().plusSeconds(600)).block()).isTrue();
    }

    @Test
    void logoutEndsThatSessionOnlyAndAnApiTokenHasNone() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        createUser(admin, "hank", "hank-password-1", "viewer");
        WebTestClient laptop = Http.as(http, Http.login(http, "hank", "hank-password-1"));
        WebTestClient phone = Http.as(http, Http.login(http, "hank", "hank-password-1"));
        laptop.post().uri("/api/v1/auth/logout").exchange().expectStatus().isNoContent().expectBody().isEmpty();
        laptop.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.message").isEqualTo("invalid bearer token");
        laptop.post().uri("/api/v1/auth/logout").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        phone.get().uri("/api/v1/auth/me").exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("hank");

        String token = admin.post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "script", "role", "viewer")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        Http.as(http, token).post().uri("/api/v1/auth/logout").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message")
                .isEqualTo("an API token has no session: an admin deletes it with DELETE /api/v1/tokens/{id}");
    }

    @Test
    void disablingAnAccountEndsItsSessionsForGoodAndAKeyAloneMakesNoSession() throws Exception {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        createUser(admin, "ivy", "ivy-password-1", "viewer");
        WebTestClient ivy = Http.as(http, Http.login(http, "ivy", "ivy-password-1"));
        admin.patch().uri("/api/v1/users/ivy").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("disabled", true)).exchange().expectStatus().isOk().expectBody().returnResult();
        admin.patch().uri("/api/v1/users/ivy").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("disabled", false)).exchange().expectStatus().isOk().expectBody().returnResult();
        ivy.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();

        // signed with the right key, for a real account, but naming no stored session
        JWTClaimsSet forged = new JWTClaimsSet.Builder(claims(Instant.now().plusSeconds(600)))
                .jwtID(java.util.UUID.randomUUID().toString()).build();
        Http.as(http, sign(JWSAlgorithm.HS256, TestApp.JWT_SECRET, forged)).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isUnauthorized().expectBody().returnResult();
        Http.as(http, sign(JWSAlgorithm.HS256, TestApp.JWT_SECRET, claims(Instant.now().plusSeconds(600)))).get()
                .uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody().returnResult();
    }

    @Test
    void weakPasswordsAreRefusedAtCreationResetAndChangeAlike() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        for (String weak : List.of("aaaaaaaaaaaa", "123456789012", "kate.example", " ".repeat(12))) {
            admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "kate.example", "password", weak, "role", "viewer"))
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).startsWith("password: "));
        }
        createUser(admin, "kate.example", "kate-password-1", "viewer");
        admin.patch().uri("/api/v1/users/kate.example").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "Password1234")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("password: a commonly used password: choose another");
        WebTestClient kate = Http.as(http, Http.login(http, "kate.example", "kate-password-1"));
        kate.post().uri("/api/v1/auth/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", "kate-password-1", "newPassword", "elpmaxe.etak"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("newPassword: must not be the user name");
        // nothing changed: the first password still logs in
        Http.as(http, Http.login(http, "kate.example", "kate-password-1")).get().uri("/api/v1/auth/me").exchange()
                .expectStatus().isOk().expectBody().returnResult();
    }

    @Test
    void repeatedFailedLoginsLockTheUserNameForAWhile() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        createUser(admin, "frank", "frank-password-1", "viewer");
        for (int i = 0; i < 10; i++) {
            http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", "frank", "password", "guess-" + i))
                    .exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        }
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "frank", "password", "frank-password-1"))
                .exchange().expectStatus().isEqualTo(429)
                .expectHeader().value("Retry-After", v -> assertThat(Long.parseLong(v)).isBetween(840L, 900L))
                .expectBody().jsonPath("$.message").isEqualTo("too many failed logins for this user: retry in 15 minutes");
    }

    @Test
    void parallelGuessesAreCountedBeforeTheyAreHashedSoTheRightOneIsNeverTried() {
        WebTestClient admin = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        createUser(admin, "jack", "jack-password-1", "viewer");
        org.springframework.web.reactive.function.client.WebClient client = org.springframework.web.reactive.function.client.WebClient
                .create("http://127.0.0.1:" + port);
        List<Integer> statuses = reactor.core.publisher.Flux.range(0, 40)
                .flatMap(i -> client.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("username", "jack", "password", i == 39 ? "jack-password-1" : "guess-" + i))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 40)
                .collectList().block(java.time.Duration.ofSeconds(120));
        // at most 10 were hashed (401, or 200 for the right one if it came among them); the rest 429
        assertThat(statuses).hasSize(40).isSubsetOf(200, 401, 429).contains(429);
        assertThat(statuses.stream().filter(s -> s != 429).count()).isLessThanOrEqualTo(10);
    }

    /** A browser's login: the session's cookies, as the browser sends them back ("name=value"). */
    private Map<String, org.springframework.http.ResponseCookie> cookieLogin(WebTestClient client, String username, String password) {
        var result = client.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password, "cookie", true))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        assertThat(result.getResponseBody()).containsEntry("token", null).containsKey("expiresAt");
        return result.getResponseCookies().toSingleValueMap();
    }

    @Test
    void aBrowserLoginSetsAnHttpOnlyStrictSessionCookieAndAReadableCsrfCookieAndNoToken() {
        var cookies = cookieLogin(http, "admin", TestApp.ADMIN_PASSWORD);
        var session = cookies.get("hepstack_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/api");
        assertThat(session.isSecure()).as("plain HTTP on the loopback").isFalse();
        assertThat(session.getMaxAge()).isBetween(java.time.Duration.ofHours(7), java.time.Duration.ofHours(8));
        var csrf = cookies.get("hepstack_csrf");
        assertThat(csrf.isHttpOnly()).isFalse();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");
        assertThat(csrf.getPath()).isEqualTo("/");
        assertThat(csrf.getValue()).matches("[\\w-]{43}").isNotEqualTo(session.getValue());
        // a TLS proxy in front (a trusted address saying so): Secure
        var secure = http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-Proto", "https")
                .bodyValue(Map.of("username", "admin", "password", TestApp.ADMIN_PASSWORD, "cookie", true))
                .exchange().expectStatus().isOk().expectBody(Void.class).returnResult().getResponseCookies().toSingleValueMap();
        assertThat(secure.get("hepstack_session").isSecure()).isTrue();
        assertThat(secure.get("hepstack_csrf").isSecure()).isTrue();
    }

    @Test
    void theSessionCookieReadsFreelyButChangesNothingWithoutItsCsrfToken() {
        var cookies = cookieLogin(http, "admin", TestApp.ADMIN_PASSWORD);
        String session = cookies.get("hepstack_session").getValue();
        String csrf = cookies.get("hepstack_csrf").getValue();
        WebTestClient browser = http.mutate().defaultCookie("hepstack_session", session).build();
        browser.get().uri("/api/v1/auth/me").exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("admin");
        Map<String, String> carol = Map.of("username", "carol.cookie", "password", "carol-cookie-password", "role", "viewer");
        for (String header : new String[] {null, "", "forged", cookieLogin(http, "admin", TestApp.ADMIN_PASSWORD).get("hepstack_csrf").getValue()}) {
            var request = browser.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON);
            if (header != null) {
                request = request.header("X-CSRF-Token", header);
            }
            request.bodyValue(carol).exchange().expectStatus().isForbidden().expectBody()
                    .jsonPath("$.message").value(m -> assertThat((String) m).startsWith("missing or wrong X-CSRF-Token header"));
        }
        http.get().uri("/api/v1/users").header("Authorization", "Bearer " + Http.login(http, "admin", TestApp.ADMIN_PASSWORD))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.items[?(@.username == 'carol.cookie')]").doesNotExist();
        browser.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON).header("X-CSRF-Token", csrf)
                .bodyValue(carol).exchange().expectStatus().isCreated().expectBody(Void.class);
        // a script's bearer token needs no CSRF token, with or without a cookie beside it
        WebTestClient script = Http.as(http, Http.login(http, "admin", TestApp.ADMIN_PASSWORD));
        script.delete().uri("/api/v1/users/carol.cookie").cookie("hepstack_session", "stale").exchange()
                .expectStatus().isNoContent().expectBody(Void.class);
    }

    @Test
    void logoutWithTheCookieEndsTheSessionClearsBothCookiesAndAnEndedCookieBlocksNoLogin() {
        var cookies = cookieLogin(http, "admin", TestApp.ADMIN_PASSWORD);
        String session = cookies.get("hepstack_session").getValue();
        WebTestClient browser = http.mutate().defaultCookie("hepstack_session", session).build();
        var cleared = browser.post().uri("/api/v1/auth/logout").header("X-CSRF-Token", cookies.get("hepstack_csrf").getValue())
                .exchange().expectStatus().isNoContent().expectBody(Void.class).returnResult().getResponseCookies().toSingleValueMap();
        assertThat(cleared.get("hepstack_session").getMaxAge()).isZero();
        assertThat(cleared.get("hepstack_csrf").getMaxAge()).isZero();
        // the ended session's cookie is refused, and cleared again
        var refused = browser.get().uri("/api/v1/auth/me").exchange().expectStatus().isUnauthorized().expectBody(Void.class)
                .returnResult().getResponseCookies().toSingleValueMap();
        assertThat(refused.get("hepstack_session").getMaxAge()).isZero();
        // but it stands in the way of neither a new login nor a public path
        browser.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", TestApp.ADMIN_PASSWORD, "cookie", true))
                .exchange().expectStatus().isOk().expectBody(Void.class);
        browser.get().uri("/api/v1/meta/payload-types").exchange().expectStatus().isOk().expectBody(Void.class);
        browser.get().uri("/api/v1/shared/no-such-link/flow").exchange().expectStatus().isNotFound().expectBody(Void.class);
    }

    private static void createUser(WebTestClient admin, String username, String password, String role) {
        admin.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password, "role", role))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
    }

    private static JWTClaimsSet claims(Instant expires) {
        return new JWTClaimsSet.Builder().issuer("hepstack").subject("admin").claim("role", "admin")
                .issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(expires)).build();
    }

    private static String sign(JWSAlgorithm alg, String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
