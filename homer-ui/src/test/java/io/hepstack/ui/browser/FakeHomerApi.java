package io.hepstack.ui.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A FAKE homer-api for the browser tests, for the edge cases the real stack's data lacks (aliases, a
 * retransmission, QoS, logs, live-stream drops; {@link RealStackBrowserIT} runs the real one): it answers the
 * documented /api/v1 contract with two canned calls (a B2BUA call with a retransmission, and a call
 * whose SIP headers carry XSS payloads), canned KPI/volume statistics, and in-memory users, tenants,
 * aliases, API tokens and share links. It is not the API: it checks the bearer token and the role (an admin and
 * a viewer), and little else. Like a slow homer-api, it can hold one answer back ({@link #holdNext}).
 */
final class FakeHomerApi implements AutoCloseable {

    static final String USER = "admin";
    static final String PASSWORD = "admin-pass";
    static final String TOKEN = "fake-token-1";
    static final String SESSION_COOKIE = "hepstack_session";
    static final String CSRF_COOKIE = "hepstack_csrf";
    static final String VIEWER = "watcher";
    static final String VIEWER_PASSWORD = "viewer-pass";
    static final String VIEWER_TOKEN = "fake-token-viewer";
    /** The node whose statistics are empty (the dashboard's empty state). */
    static final String QUIET_NODE = "quiet-node";

    static final String CALL = "a84b4c76e66710@192.0.2.10";
    static final String B_LEG = "b2b-77aa91@192.0.2.20";
    static final String XSS_CALL = "xss-1@evil.example";
    /** A Call-ID with a "/": homer-api's request firewall refuses it in a path, so it is asked for in the query. */
    static final String SLASH_CALL = "slash/1@192.0.2.10";
    /**
     * A call that fails every way a ladder must show (reachable by its URL only, not listed by the search): a 407
     * challenge, an INVITE to bob-pbx sent four times without any answer, then to the same address on another port
     * (5062: one host, two columns unless merged) early media announced sendonly and 603 Decline, 503 to the caller.
     */
    static final String FAILED_CALL = "fail-1@192.0.2.10";
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String SCRIPT = "<script>alert(2)</script>";
    static final String JS_CONTACT = "javascript:alert(3)";
    static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(4)\"><circle r=\"9\"/></svg>";
    static final String LINE_SEP = "Subject: hello\u2028world\u2029end";

    /** The PCAP bytes served for every call (a classic pcap header and no packet: only the bytes matter here). */
    static final byte[] PCAP = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0};

    private final ObjectMapper json = new ObjectMapper();
    private final Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, List<Map<String, Object>>> flows = new LinkedHashMap<>();
    /** Flows opened by URL only: in no call list or message search. */
    private final Map<String, List<Map<String, Object>>> unlisted = new LinkedHashMap<>();
    /** Traffic only the live stream serves, after the first call's: a registration and an OPTIONS ping. */
    private final List<Map<String, Object>> liveOthers = new ArrayList<>();
    private final Map<String, String> shares = new ConcurrentHashMap<>();
    private final AtomicInteger shareCount = new AtomicInteger();
    private final Map<Long, Map<String, Object>> shareItems = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Object>> aliases = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, Object>> tokens = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(100);
    private final List<String> streamRequests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> loggedOut = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> csrfRefusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicReference<Hold> hold = new AtomicReference<>();
    private final DisposableServer server;

    FakeHomerApi() {
        flows.put(CALL, b2buaCall());
        flows.put(XSS_CALL, xssCall());
        unlisted.put(SLASH_CALL, slashCall());
        flows.put(FAILED_CALL, failedCall());
        liveOthers.addAll(registrationAndOptions());
        users.put(USER, account(USER, "admin", false));
        users.put(VIEWER, account(VIEWER, "viewer", false));
        // homer-api refuses such a name; the fake serves one to show that any name renders as text
        users.put(IMG, account(IMG, "user", true));
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        // homer-api's request firewall: an encoded "/" in a path is refused with an empty 400
                        .route(q -> q.uri().split("\\?", 2)[0].toLowerCase(java.util.Locale.ROOT).contains("%2f"),
                                (q, s) -> s.status(400).send())
                        .post("/api/v1/auth/login", this::login)
                        .post("/api/v1/auth/logout", (q, s) -> {
                            if (role(q) == null) {
                                return unauthorized(s);
                            }
                            if (csrfRefused(q)) {
                                return csrfRefusal(q, s);
                            }
                            loggedOut.add(String.valueOf(token(q)));
                            return clearCookies(s).status(204).send().then();
                        })
                        .get("/api/v1/auth/me", (q, s) -> role(q) == null ? unauthorized(s)
                                : send(s, map("name", VIEWER_TOKEN.equals(token(q)) ? VIEWER : USER, "role", role(q), "kind", "ACCOUNT")))
                        .get("/api/v1/meta/payload-types", (q, s) -> send(s, Map.of("items", payloadTypes())))
                        // homer-api's answer, recorded (its MetaIT checks the real one)
                        .get("/api/v1/meta/search", authed((q, s) -> s.header("Content-Type", "application/json")
                                .sendString(reactor.core.publisher.Mono.just(SEARCH_META)).then()))
                        // homer-api's JsonFields shape: the paths of a sample of stored JSON payloads
                        .get("/api/v1/meta/json-fields", authed((q, s) -> send(s, map("sampled", 40, "truncated", false,
                                "fields", List.of(map("path", "level", "payloadTypes", List.of(100), "valueTypes", List.of("string"),
                                                "payloads", 25),
                                        map("path", "stats.mos", "payloadTypes", List.of(100), "valueTypes", List.of("number"),
                                                "payloads", 12))))))
                        .get("/api/v1/alerts", authed(this::alerts))
                        .get("/api/v1/registrations", authed(this::registrations))
                        .get("/api/v1/registrations/{aor}", authed((q, s) -> registration(s, param(q, "aor"))))
                        .get("/api/v1/stats/kpi", authed((q, s) -> kpi(q, s)))
                        .get("/api/v1/stats/volume", authed((q, s) -> volume(q, s)))
                        .get("/api/v1/stats/breakdown", authed(this::breakdown))
                        .get("/api/v1/users", admin((q, s) -> send(s, Map.of("items", sorted(users.values(), "username")))))
                        .post("/api/v1/users", admin(this::createUser))
                        .route(q -> q.method().equals(io.netty.handler.codec.http.HttpMethod.PATCH) && q.uri().startsWith("/api/v1/users/"), admin(this::updateUser))
                        .delete("/api/v1/users/{name}", admin((q, s) -> users.remove(param(q, "name")) == null
                                ? error(s, 404, "not_found", "no such user") : s.status(204).send().then()))
                        .get("/api/v1/tenants", admin((q, s) -> send(s, Map.of("items", sorted(tenants.values(), "name")))))
                        .post("/api/v1/tenants", admin(this::createTenant))
                        .route(q -> q.method().equals(io.netty.handler.codec.http.HttpMethod.PATCH) && q.uri().startsWith("/api/v1/tenants/"), admin(this::updateTenant))
                        .delete("/api/v1/tenants/{name}", admin(this::deleteTenant))
                        .get("/api/v1/aliases", authed((q, s) -> send(s, Map.of("items", sorted(aliases.values(), "id")))))
                        .post("/api/v1/aliases", admin(this::createAlias))
                        .route(q -> q.method().equals(io.netty.handler.codec.http.HttpMethod.PATCH) && q.uri().startsWith("/api/v1/aliases/"), admin(this::updateAlias))
                        .delete("/api/v1/aliases/{id}", admin((q, s) -> removeById(aliases, q, s, "no such alias")))
                        .get("/api/v1/tokens", admin((q, s) -> send(s, Map.of("items", sorted(tokens.values(), "id")))))
                        .post("/api/v1/tokens", admin(this::createToken))
                        .delete("/api/v1/tokens/{id}", admin((q, s) -> removeById(tokens, q, s, "no such token")))
                        .get("/api/v1/shares", authed((q, s) -> send(s, Map.of("items", sorted(shareItems.values(), "id")))))
                        .delete("/api/v1/shares/{id}", authed((q, s) -> {
                            Long id = parseId(param(q, "id"));
                            Map<String, Object> gone = id == null ? null : shareItems.remove(id);
                            if (gone == null) {
                                return error(s, 404, "not_found", "no such share");
                            }
                            shares.remove((String) gone.get("token"));
                            return s.status(204).send().then();
                        }))
                        .get("/api/v1/calls", authed((q, s) -> {
                            lastCallsQuery = java.net.URLDecoder.decode(q.uri(), java.nio.charset.StandardCharsets.UTF_8);
                            return send(s, callPage(new io.netty.handler.codec.http.QueryStringDecoder(q.uri()).parameters()));
                        }))
                        .get("/api/v1/messages", authed((q, s) -> {
                            lastMessagesQuery = java.net.URLDecoder.decode(q.uri(), java.nio.charset.StandardCharsets.UTF_8);
                            return send(s, Map.of("items", allMessages()));
                        }))
                        .get("/api/v1/messages/{id}", authed((q, s) -> message(s, param(q, "id"))))
                        .get("/api/v1/calls/{callId}", authed((q, s) -> record(s, callId(q))))
                        .get("/api/v1/calls/{callId}/flow", authed((q, s) -> flow(s, callId(q))))
                        .get("/api/v1/calls/{callId}/qos", authed((q, s) -> qos(s, callId(q))))
                        .get("/api/v1/calls/{callId}/pcap", authed((q, s) -> pcap(s, callId(q))))
                        .get("/api/v1/calls/{callId}/text", authed((q, s) -> {
                            lastTextQuery = java.net.URLDecoder.decode(q.uri(), java.nio.charset.StandardCharsets.UTF_8);
                            return text(s, callId(q), "text");
                        }))
                        .get("/api/v1/calls/{callId}/sipp", authed((q, s) -> text(s, callId(q), "sipp")))
                        .get("/api/v1/stream/messages", authed(this::stream))
                        .post("/api/v1/shares", authed(this::share))
                        .get("/api/v1/shared/{token}/flow", (q, s) -> flow(s, shares.get(param(q, "token"))))
                        .get("/api/v1/shared/{token}/qos", (q, s) -> qos(s, shares.get(param(q, "token"))))
                        .get("/api/v1/shared/{token}/record", (q, s) -> record(s, shares.get(param(q, "token"))))
                        .get("/api/v1/shared/{token}/about", (q, s) -> about(s, param(q, "token")))
                        .get("/api/v1/shared/{token}/logo", (q, s) -> shares.containsKey(param(q, "token"))
                                ? s.header("Content-Type", "image/png").sendByteArray(Mono.just(LOGO)).then()
                                : error(s, 404, "not_found", "not found"))
                        .get("/api/v1/shared/{token}/pcap", (q, s) -> pcap(s, shares.get(param(q, "token")))))
                .bindNow();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    int messageCount(String callId) {
        return flows.get(callId).size();
    }

    int totalMessages() {
        return flows.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    /**
     * One answer held back: {@code received} completes when the request arrives, {@code outcome} when it ends,
     * with {@code "answered"} (after the delay) or {@code "cancelled"} (the client went away first).
     */
    /** The last message search's request URI, decoded. */
    volatile String lastMessagesQuery;
    /** The last call list's request URI, decoded. */
    volatile String lastCallsQuery;
    /** The query of the last text export asked for. */
    volatile String lastTextQuery;

    /** A held answer: when its request came, when the test lets it go, and whether it was then answered or cancelled. */
    record Hold(String path, CompletableFuture<Void> received, CompletableFuture<Void> release,
                CompletableFuture<String> outcome) {
        /** Lets the answer go: a late answer, once the test has done what it does meanwhile. */
        void answer() {
            release.complete(null);
        }
    }

    /** How long a held answer waits at most for {@link Hold#answer()}, so that a failed test does not hang. */
    static final Duration HOLD_AT_MOST = Duration.ofSeconds(60);

    /**
     * Holds back the answer to the next authenticated request of {@code path} (decoded, without its query) until the
     * test lets it go ({@link Hold#answer()}), as a slow homer-api would; the requests after it are answered at once.
     * The test decides when the answer is late, not a delay that a busy machine can outrun.
     */
    Hold holdNext(String path) {
        Hold h = new Hold(path, new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>());
        hold.set(h);
        return h;
    }

    /** The answer, after the held delay when this request is the one held. */
    private Mono<Void> answer(HttpServerRequest q, Handler handler, HttpServerResponse s) {
        Hold h = hold.get();
        if (h == null || !h.path().equals(URLDecoder.decode(q.uri().split("\\?")[0], StandardCharsets.UTF_8)) || !hold.compareAndSet(h, null)) {
            return handler.handle(q, s);
        }
        h.received().complete(null);
        return Mono.fromFuture(h.release(), true).timeout(HOLD_AT_MOST, Mono.empty()).then(Mono.defer(() -> handler.handle(q, s)))
                .doOnSuccess(v -> h.outcome().complete("answered"))
                .doOnCancel(() -> h.outcome().complete("cancelled"));
    }

    // --- handlers

    private interface Handler {
        Mono<Void> handle(HttpServerRequest request, HttpServerResponse response);
    }

    /** What homer-api serves: the collector's registry. */
    private static final String SEARCH_META = resource("/fake-api/meta-search.json");

    private static String resource(String path) {
        try (java.io.InputStream in = FakeHomerApi.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("test resource " + path, e);
        }
    }

    /** The params of the fields that search ({@code messages}, {@code calls}, {@code stream}) takes, in the API's order. */
    @SuppressWarnings("unchecked")
    List<String> searchParams(String search) {
        try {
            Map<String, Object> meta = json.readValue(SEARCH_META, Map.class);
            return ((List<Map<String, Object>>) meta.get("searches")).stream().filter(s -> s.get("name").equals(search))
                    .findFirst().map(s -> (List<String>) s.get("fields")).orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The syntax the API gives for a field. */
    @SuppressWarnings("unchecked")
    String searchSyntax(String param) {
        try {
            Map<String, Object> meta = json.readValue(SEARCH_META, Map.class);
            return ((List<Map<String, Object>>) meta.get("fields")).stream().filter(f -> f.get("param").equals(param))
                    .findFirst().map(f -> (String) f.get("syntax")).orElseThrow();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> payloadTypes() {
        return io.hepstack.proto.model.HepPayloadType.known().stream()
                .map(t -> map("number", t.number(), "name", t.name(), "kind", t.kind().code())).toList();
    }

    private java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, org.reactivestreams.Publisher<Void>> authed(Handler h) {
        return (q, s) -> role(q) == null ? unauthorized(s) : csrfRefused(q) ? csrfRefusal(q, s) : answer(q, h, s);
    }

    /** Admin-only, as homer-api: 403 for any other role. */
    private java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, org.reactivestreams.Publisher<Void>> admin(Handler h) {
        return (q, s) -> role(q) == null ? unauthorized(s) : csrfRefused(q) ? csrfRefusal(q, s)
                : "admin".equals(role(q)) ? h.handle(q, s) : error(s, 403, "forbidden", "forbidden");
    }

    /** The request's token, as homer-api reads it: its bearer token, or else its session cookie. */
    private static String token(HttpServerRequest q) {
        String auth = q.requestHeaders().get("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            return auth.substring(7);
        }
        return sessionCookie(q);
    }

    private static String sessionCookie(HttpServerRequest q) {
        var cookies = q.cookies().get(SESSION_COOKIE);
        return cookies == null || cookies.isEmpty() ? null : cookies.iterator().next().value();
    }

    /** The CSRF token the fake gives a session: homer-api's is an HMAC, any value only the session yields will do. */
    static String csrfOf(String token) {
        return "csrf-" + token;
    }

    /**
     * As homer-api: a request authenticated by the session cookie that changes something without the session's CSRF
     * token in X-CSRF-Token.
     */
    private static boolean csrfRefused(HttpServerRequest q) {
        String auth = q.requestHeaders().get("Authorization");
        if (auth != null && auth.startsWith("Bearer ") || sessionCookie(q) == null
                || List.of("GET", "HEAD", "OPTIONS").contains(q.method().name())) {
            return false;
        }
        return !csrfOf(sessionCookie(q)).equals(q.requestHeaders().get("X-CSRF-Token"));
    }

    private Mono<Void> csrfRefusal(HttpServerRequest q, HttpServerResponse s) {
        csrfRefusals.add(q.method().name() + " " + q.uri());
        return error(s, 403, "forbidden", "missing or wrong X-CSRF-Token header");
    }

    /** homer-api's session cookies for {@code token}: the session HttpOnly, its CSRF token readable. */
    private static HttpServerResponse sessionCookies(HttpServerResponse s, String token) {
        return s.addHeader("Set-Cookie", SESSION_COOKIE + "=" + token + "; Path=/api; Max-Age=3600; HttpOnly; SameSite=Strict")
                .addHeader("Set-Cookie", CSRF_COOKIE + "=" + csrfOf(token) + "; Path=/; Max-Age=3600; SameSite=Strict");
    }

    private static HttpServerResponse clearCookies(HttpServerResponse s) {
        return s.addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict")
                .addHeader("Set-Cookie", CSRF_COOKIE + "=; Path=/; Max-Age=0; SameSite=Strict");
    }

    private static String role(HttpServerRequest q) {
        String t = token(q);
        return TOKEN.equals(t) ? "admin" : VIEWER_TOKEN.equals(t) ? "viewer" : null;
    }

    private static Mono<Void> unauthorized(HttpServerResponse s) {
        return error(s, 401, "unauthorized", "invalid bearer token");
    }

    private static Mono<Void> error(HttpServerResponse s, int status, String error, String message) {
        String body = "{\"error\":\"" + error + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return s.status(status).header("Content-Type", "application/json").sendString(Mono.just(body)).then();
    }

    /** The Call-ID of a call request, as homer-api reads it: the path's, or the callId parameter's when the path says "-". */
    private static String callId(HttpServerRequest q) {
        String path = param(q, "callId");
        List<String> inQuery = new io.netty.handler.codec.http.QueryStringDecoder(q.uri()).parameters().get("callId");
        return "-".equals(path) && inQuery != null ? inQuery.get(0) : path;
    }

    /** The messages of a call, listed or not; {@code null} for a Call-ID the fake does not know. */
    private List<Map<String, Object>> messagesOf(String callId) {
        return callId == null ? null : flows.containsKey(callId) ? flows.get(callId) : unlisted.get(callId);
    }

    private static String param(HttpServerRequest q, String name) {
        String v = q.param(name);
        return v == null ? null : URLDecoder.decode(v, StandardCharsets.UTF_8);
    }

    private Mono<Void> login(HttpServerRequest q, HttpServerResponse s) {
        return q.receive().aggregate().asString().defaultIfEmpty("{}").flatMap(body -> {
            try {
                Map<?, ?> m = json.readValue(body, Map.class);
                String token = USER.equals(m.get("username")) && PASSWORD.equals(m.get("password")) ? TOKEN
                        : VIEWER.equals(m.get("username")) && VIEWER_PASSWORD.equals(m.get("password")) ? VIEWER_TOKEN : null;
                if (token != null) {
                    String expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).toString();
                    if (Boolean.TRUE.equals(m.get("cookie"))) { // a browser: the session in cookies, no token in the answer
                        return send(sessionCookies(s, token), map("token", null, "expiresAt", expiresAt));
                    }
                    return send(s, Map.of("token", token, "expiresAt", expiresAt));
                }
            } catch (JsonProcessingException e) {
                // falls through to 401
            }
            return s.status(401).header("Content-Type", "application/json").sendString(Mono.just("{\"error\":\"bad credentials\"}")).then();
        });
    }

    /** The branding of the share links' tenant, as homer-api's /about gives it (the logo at /logo). */
    static final Map<String, Object> BRAND = Map.of("title", "Acme <b>Voice</b>", "accent", "#0b7285", "logo", true);
    /** The logo: a 1x1 PNG. */
    static final byte[] LOGO = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /** The view of the last share link made, as stored. */
    volatile Map<String, Object> lastShareView;

    /**
     * homer-api's CustomerView.choose on the fake's call: defaults filled in (the shared leg, the side that placed the
     * call, masked, aliases hidden), a leg that is not the call's or a view without the shared Call-ID refused (the
     * fake's flows have one leg each); or {@code {"message": ...}} with the 400's message. The fake's flows are not
     * masked: homer-api's CustomerViewIT covers what a view does to the answers.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> view(String callId, Map<String, Object> choice) {
        Map<String, Object> c = choice == null ? Map.of() : choice;
        List<String> legs = c.get("legs") == null ? List.of(callId) : (List<String>) c.get("legs");
        for (String leg : legs) {
            if (!callId.equals(leg)) {
                return Map.of("message", "view.legs: not a leg of this call: " + leg + " (its legs: " + callId + ")");
            }
        }
        if (!legs.contains(callId)) {
            return Map.of("message", "view.legs: must include the shared Call-ID " + callId);
        }
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("legs", List.of(callId));
        view.put("hosts", c.get("hosts") == null ? List.of("192.0.2.10") : c.get("hosts"));
        view.put("maskAddresses", c.get("maskAddresses") == null || (Boolean) c.get("maskAddresses"));
        view.put("hideAliases", c.get("hideAliases") == null || (Boolean) c.get("hideAliases"));
        return view;
    }

    private Mono<Void> share(HttpServerRequest q, HttpServerResponse s) {
        return q.receive().aggregate().asString().flatMap(body -> {
            try {
                Map<?, ?> m = json.readValue(body, Map.class);
                int n = shareCount.incrementAndGet();
                String token = "share-" + n;
                // homer-api's CreateShare: {callId, from, to, expiresAt, view}; unknown fields are ignored there
                String callId = (String) m.get("callId");
                Map<String, Object> view = view(callId, (Map<String, Object>) m.get("view"));
                if (view.containsKey("message")) {
                    return error(s, 400, "bad_request", (String) view.get("message"));
                }
                shares.put(token, callId);
                lastShareView = view;
                Instant expiresAt = Instant.parse((String) m.get("expiresAt"));
                shareItems.put((long) n, map("id", (long) n, "callId", callId, "from", m.get("from"), "to", m.get("to"),
                        "createdBy", USER, "createdAt", Instant.now().toString(), "expiresAt", expiresAt.toString(), "token", token,
                        "view", view));
                return send(s.status(201), Map.of("token", token, "url", "javascript:alert('not used')",
                        "expiresAt", expiresAt.toString(), "view", view));
            } catch (JsonProcessingException | RuntimeException e) {
                return s.status(400).send().then();
            }
        });
    }

    // --- admin: users, aliases, tokens (the documented fields; validation as far as the UI tests need it)

    private Mono<Void> createUser(HttpServerRequest q, HttpServerResponse s) {
        return body(q).flatMap(m -> {
            String name = String.valueOf(m.get("username"));
            String password = m.get("password") == null ? "" : String.valueOf(m.get("password"));
            if (password.length() < 12) {
                return error(s, 400, "bad_request", "password: size must be between 12 and 1024");
            }
            if (users.containsKey(name)) {
                return error(s, 409, "conflict", "username already taken");
            }
            String tenantError = tenantError(m.get("tenant"), m.get("role"));
            if (tenantError != null) {
                return error(s, 400, "bad_request", tenantError);
            }
            Map<String, Object> a = account(name, String.valueOf(m.get("role")), false);
            a.put("tenant", m.get("tenant"));
            users.put(name, a);
            return send(s.status(201), a);
        });
    }

    private Mono<Void> updateUser(HttpServerRequest q, HttpServerResponse s) {
        // reactor-netty has no patch() route: the name is the rest of the path
        String name = URLDecoder.decode(q.uri().substring("/api/v1/users/".length()).split("\\?")[0], StandardCharsets.UTF_8);
        return body(q).flatMap(m -> {
            Map<String, Object> a = users.get(name);
            if (a == null) {
                return error(s, 404, "not_found", "no such user");
            }
            if (USER.equals(name) && (Boolean.TRUE.equals(m.get("disabled")) || (m.get("role") != null && !"admin".equals(m.get("role"))))) {
                return error(s, 400, "bad_request", "an admin cannot disable or demote their own account");
            }
            if (m.containsKey("tenant") || m.get("role") != null) {
                String tenantError = tenantError(m.containsKey("tenant") ? m.get("tenant") : a.get("tenant"),
                        m.get("role") != null ? m.get("role") : a.get("role"));
                if (tenantError != null) {
                    return error(s, 400, "bad_request", tenantError);
                }
            }
            if (m.containsKey("tenant")) a.put("tenant", m.get("tenant"));
            if (m.get("role") != null) a.put("role", m.get("role"));
            if (m.get("disabled") != null) a.put("disabled", m.get("disabled"));
            if (m.get("password") != null) a.put("passwordChangedAt", Instant.now().toString());
            return send(s, a);
        });
    }

    private Mono<Void> createAlias(HttpServerRequest q, HttpServerResponse s) {
        return body(q).flatMap(m -> {
            Object port = m.get("port");
            boolean taken = aliases.values().stream().anyMatch(a -> a.get("ip").equals(m.get("ip")) && java.util.Objects.equals(a.get("port"), port));
            if (taken) {
                return error(s, 409, "conflict", "this address and port already have an alias");
            }
            long id = ids.incrementAndGet();
            Map<String, Object> a = map("id", id, "ip", m.get("ip"), "port", port, "alias", m.get("alias"), "createdBy", USER,
                    "createdAt", Instant.now().toString());
            aliases.put(id, a);
            return send(s.status(201), a);
        });
    }

    private Mono<Void> updateAlias(HttpServerRequest q, HttpServerResponse s) {
        Long id = parseId(q.uri().substring("/api/v1/aliases/".length()).split("\\?")[0]);
        return body(q).flatMap(m -> {
            Map<String, Object> a = id == null ? null : aliases.get(id);
            if (a == null) {
                return error(s, 404, "not_found", "no such alias");
            }
            Object ip = m.containsKey("ip") ? m.get("ip") : a.get("ip");
            Object port = m.containsKey("port") ? m.get("port") : a.get("port");
            boolean taken = aliases.values().stream().anyMatch(o -> o != a && o.get("ip").equals(ip) && java.util.Objects.equals(o.get("port"), port));
            if (taken) {
                return error(s, 409, "conflict", "this address and port already have an alias");
            }
            a.put("ip", ip);
            a.put("port", port);
            if (m.containsKey("alias")) a.put("alias", m.get("alias"));
            return send(s, a);
        });
    }

    private Mono<Void> createToken(HttpServerRequest q, HttpServerResponse s) {
        return body(q).flatMap(m -> {
            Object role = m.get("role") == null ? "viewer" : m.get("role");
            String tenantError = tenantError(m.get("tenant"), role);
            if (tenantError != null) {
                return error(s, 400, "bad_request", tenantError);
            }
            long id = ids.incrementAndGet();
            Map<String, Object> t = map("id", id, "name", m.get("name"), "role", role, "tenant", m.get("tenant"),
                    "createdBy", USER, "createdAt", Instant.now().toString(), "expiresAt", m.get("expiresAt"));
            tokens.put(id, t);
            var created = new LinkedHashMap<>(t);
            created.put("token", "hsk_fake" + id);
            return send(s.status(201), created);
        });
    }

    // --- tenants: the documented contract of /api/v1/tenants, with homer-api's messages

    /** homer-api's refusal of a tenant on an account or token: unknown, or on an admin. */
    private String tenantError(Object tenant, Object role) {
        if (tenant == null) {
            return null;
        }
        if (!tenants.containsKey(String.valueOf(tenant))) {
            return "tenant: no such tenant \"" + tenant + "\"";
        }
        return "admin".equals(role) ? "tenant: an admin has no tenant" : null;
    }

    private Mono<Void> createTenant(HttpServerRequest q, HttpServerResponse s) {
        return body(q).flatMap(m -> {
            String name = m.get("name") == null ? "" : String.valueOf(m.get("name"));
            // homer-api refuses such a name; the fake takes any to show that a name renders as text
            if (name.isEmpty() || name.length() > 64) {
                return error(s, 400, "bad_request", "name: 1 to 64 of A-Z a-z 0-9 . _ -");
            }
            if (tenants.containsKey(name)) {
                return error(s, 409, "conflict", "a tenant of this name exists");
            }
            Object networks = m.containsKey("networks") ? m.get("networks") : List.of();
            String bad = networkError(networks);
            if (bad != null) {
                return error(s, 400, "bad_request", bad);
            }
            Map<String, Object> t = map("name", name, "nodes", m.containsKey("nodes") ? m.get("nodes") : List.of(),
                    "networks", networks, "createdBy", USER, "createdAt", Instant.now().toString());
            tenants.put(name, t);
            return send(s.status(201), t);
        });
    }

    private Mono<Void> updateTenant(HttpServerRequest q, HttpServerResponse s) {
        String name = URLDecoder.decode(q.uri().substring("/api/v1/tenants/".length()).split("\\?")[0], StandardCharsets.UTF_8);
        return body(q).flatMap(m -> {
            Map<String, Object> t = tenants.get(name);
            if (t == null) {
                return error(s, 404, "not_found", "no such tenant");
            }
            String bad = m.containsKey("networks") ? networkError(m.get("networks")) : null;
            if (bad != null) {
                return error(s, 400, "bad_request", bad);
            }
            if (m.containsKey("nodes")) t.put("nodes", m.get("nodes"));
            if (m.containsKey("networks")) t.put("networks", m.get("networks"));
            return send(s, t);
        });
    }

    private Mono<Void> deleteTenant(HttpServerRequest q, HttpServerResponse s) {
        String name = param(q, "name");
        boolean used = java.util.stream.Stream.concat(users.values().stream(), tokens.values().stream())
                .anyMatch(a -> name.equals(a.get("tenant")));
        if (used) {
            return error(s, 409, "conflict", "tenant \"" + name + "\" is still assigned to an account or API token: reassign them first");
        }
        return tenants.remove(name) == null ? error(s, 404, "not_found", "no such tenant") : s.status(204).send().then();
    }

    /**
     * IPv4 only (enough for the tests): an address or a network with its host bits clear, with homer-api's messages
     * (an octet above 255 or with a leading zero, {@code 010.0.0.1}, is not an address, as in homer-api's IpLiteral).
     */
    private static String networkError(Object networks) {
        List<?> list = (List<?>) networks;
        for (int i = 0; i < list.size(); i++) {
            String v = String.valueOf(list.get(i));
            var m = java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?").matcher(v);
            boolean octets = m.matches();
            for (int b = 1; octets && b <= 4; b++) {
                octets = Integer.parseInt(m.group(b)) <= 255 && !(m.group(b).length() > 1 && m.group(b).startsWith("0"));
            }
            if (!octets) {
                return "networks[" + i + "]: not an address: \"" + v + "\" (expected: an IPv4 or IPv6 address, or a network like"
                        + " 10.0.0.0/24 or 2001:db8::/32)";
            }
            long ip = 0;
            for (int b = 1; b <= 4; b++) {
                ip = ip << 8 | Integer.parseInt(m.group(b));
            }
            int len = m.group(5) == null ? 32 : Integer.parseInt(m.group(5));
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            if ((ip & ~mask & 0xffffffffL) != 0) {
                long net = ip & mask;
                return "networks[" + i + "]: \"" + v + "\" has host bits set (the network is "
                        + (net >> 24) + "." + (net >> 16 & 255) + "." + (net >> 8 & 255) + "." + (net & 255) + "/" + len + ")";
            }
        }
        return null;
    }

    Map<String, Map<String, Object>> tenantItems() {
        return tenants;
    }

    /** The tokens that were created, as the test reads them back. */
    List<Map<String, Object>> tokenItems() {
        return sorted(tokens.values(), "id");
    }

    Map<String, Map<String, Object>> userItems() {
        return users;
    }

    List<Map<String, Object>> aliasItems() {
        return sorted(aliases.values(), "id");
    }

    List<Map<String, Object>> shareItems() {
        return sorted(shareItems.values(), "id");
    }

    private Mono<Void> removeById(Map<Long, Map<String, Object>> items, HttpServerRequest q, HttpServerResponse s, String notFound) {
        Long id = parseId(param(q, "id"));
        return id == null || items.remove(id) == null ? error(s, 404, "not_found", notFound) : s.status(204).send().then();
    }

    private static Long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Mono<Map<?, ?>> body(HttpServerRequest q) {
        return q.receive().aggregate().asString().defaultIfEmpty("{}").map(b -> {
            try {
                return json.readValue(b, Map.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    private static Map<String, Object> account(String name, String role, boolean disabled) {
        String now = Instant.now().toString();
        return map("username", name, "role", role, "disabled", disabled, "createdAt", now, "passwordChangedAt", now);
    }

    private static List<Map<String, Object>> sorted(java.util.Collection<Map<String, Object>> items, String key) {
        return items.stream().sorted(java.util.Comparator.comparing(m -> String.valueOf(m.get(key)),
                java.util.Comparator.comparing(String::length).thenComparing(java.util.Comparator.naturalOrder()))).toList();
    }

    // --- statistics: 12 buckets of 5 minutes from `from`, canned figures (all zero on QUIET_NODE)

    static final int STEP = 300;
    static final int[] INVITES = {1, 0, 2, 1, 0, 1, 2, 0, 1, 1, 0, 1};
    static final int[] REDIRECTED = {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    static final int[] ANSWERED = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0};
    static final int[] BUSY = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final int[] FAILED = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
    static final int[] DEFECTS = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    static final int[] INEFFECTIVE = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    static final int[] BYES = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0};

    static final String ALERT_NODE = "kamailio-edge";
    /** The URIs of the alert lists asked for, in order. */
    final List<String> alertQueries = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The last query of GET /api/v1/registrations, decoded. */
    volatile String lastRegistrationsQuery;

    /**
     * homer-api's registration list, failing first: a phone refused (403), one in a challenge loop, one registered,
     * one unregistered, one expired; {@code state} as homer-api takes it (one state or several).
     */
    private Mono<Void> registrations(HttpServerRequest q, HttpServerResponse s) {
        lastRegistrationsQuery = URLDecoder.decode(q.uri(), StandardCharsets.UTF_8);
        String state = query(q, "state");
        List<Map<String, Object>> shown = registrationItems().stream()
                .filter(r -> state == null || List.of(state.split(",")).contains((String) r.get("state"))).toList();
        return send(s, map("items", shown, "nextCursor", null));
    }

    private List<Map<String, Object>> registrationItems() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return List.of(
                binding(11, "carol", "failed", null, now.minus(2, ChronoUnit.MINUTES), 1, 1, 403),
                binding(12, "bob", "challenge_loop", null, now.minus(3, ChronoUnit.MINUTES), 3, 0, null),
                binding(13, "alice", "registered", now.plus(50, ChronoUnit.MINUTES), now.minus(10, ChronoUnit.MINUTES), 1, 0, null),
                binding(14, "dave", "unregistered", null, now.minus(20, ChronoUnit.MINUTES), 0, 0, null),
                binding(15, "erin", "expired", now.minus(5, ChronoUnit.MINUTES), now.minus(65, ChronoUnit.MINUTES), 0, 0, null));
    }

    private static Map<String, Object> binding(long id, String user, String state, Instant expires, Instant last, int challenges,
                                               int failures, Integer failureStatus) {
        Map<String, Object> b = map("id", id, "aor", user + "@example.com", "user", user, "domain", "example.com",
                "contact", "sip:" + user + "@10.1.0." + id + ":5062", "source", map("ip", "10.1.0." + id, "port", 5062),
                "userAgent", "phone/1.0", "state", state, "expiresAt", expires == null ? null : expires.toString(),
                "firstRegisterAt", last.minus(1, ChronoUnit.HOURS).toString(), "lastRegisterAt", last.toString(),
                "lastSuccessAt", null, "lastFailureAt", failureStatus == null ? null : last.toString(), "lastFailureStatus", failureStatus);
        b.putAll(map("registers", challenges + failures + 1, "challenges", challenges, "failures", failures,
                "registrar", map("ip", "10.1.0.1", "port", 5060), "nodes", List.of(ALERT_NODE), "updatedAt", last.toString()));
        return b;
    }

    /** One AoR's history: bob's three challenged REGISTERs, newest first. */
    private Mono<Void> registration(HttpServerResponse s, String aor) {
        List<Map<String, Object>> bindings = registrationItems().stream().filter(r -> r.get("aor").equals(aor)).toList();
        List<Map<String, Object>> transactions = new ArrayList<>();
        if (aor.equals("bob@example.com")) {
            Instant last = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
            for (int cseq = 3; cseq >= 1; cseq--) {
                Instant at = last.minus(3 - cseq, ChronoUnit.SECONDS);
                Map<String, Object> t = map("callId", "bob-1@phones", "cseq", cseq, "contact", "sip:bob@10.1.0.12:5062",
                        "source", map("ip", "10.1.0.12", "port", 5062), "userAgent", "phone/1.0",
                        "registrar", map("ip", "10.1.0.1", "port", 5060), "requestAt", at.toString(),
                        "answeredAt", at.plusMillis(2).toString(), "status", 401, "phrase", "Unauthorized");
                t.putAll(map("requestedExpires", 3600, "grantedExpires", null, "outcome", "challenged", "nodes", List.of(ALERT_NODE)));
                transactions.add(t);
            }
        }
        return send(s, map("aor", aor, "from", Instant.now().minus(1, ChronoUnit.DAYS).toString(), "to", Instant.now().toString(),
                "truncated", false, "bindings", bindings, "transactions", transactions));
    }

    /**
     * homer-api's alert list: two firing (session defects on a node, a collector down), one resolved (a scanner,
     * two hours ago), firing first; {@code state}, {@code severity}, {@code node}, {@code from}, {@code to} and
     * {@code limit} as homer-api takes them.
     */
    private Mono<Void> alerts(HttpServerRequest q, HttpServerResponse s) {
        Instant now = Instant.now();
        List<Map<String, Object>> items = List.of(
                alert(1, "HepNodeSessionDefects", "warning", ALERT_NODE, now.minus(10, ChronoUnit.MINUTES), null,
                        map("category", "quality", "status_class", "5xx", "method", "INVITE"),
                        "25 session defects on " + ALERT_NODE + " in 5 minutes"),
                alert(2, "HepCollectorDown", "critical", null, now.minus(4, ChronoUnit.MINUTES), null,
                        map("category", "suite", "instance", "hep-ingest-1:9096"), "Collector hep-ingest-1:9096 does not answer Prometheus"),
                alert(3, "HepSipScanner", "warning", ALERT_NODE, now.minus(3, ChronoUnit.HOURS), now.minus(2, ChronoUnit.HOURS),
                        map("category", "security", "kind", "scanner_user_agent"), "SIP scanner seen on " + ALERT_NODE + " (40 requests)"));
        String state = query(q, "state");
        String severity = query(q, "severity");
        String node = query(q, "node");
        Instant from = query(q, "from") == null ? now.minus(1, ChronoUnit.DAYS) : Instant.parse(query(q, "from"));
        Instant to = query(q, "to") == null ? now : Instant.parse(query(q, "to"));
        int limit = query(q, "limit") == null ? 100 : Integer.parseInt(query(q, "limit"));
        alertQueries.add(q.uri());
        // active at some time in [from, to], as homer-api's AlertQuery
        List<Map<String, Object>> shown = items.stream().filter(a -> state == null || state.equals(a.get("status")))
                .filter(a -> severity == null || severity.equals(a.get("severity")))
                .filter(a -> node == null || node.equals(a.get("node")))
                .filter(a -> Instant.parse((String) a.get("startsAt")).isBefore(to)
                        && (a.get("endsAt") == null || !Instant.parse((String) a.get("endsAt")).isBefore(from)))
                .limit(limit).toList();
        return send(s, map("items", shown, "firing", 2));
    }

    private static Map<String, Object> alert(long id, String name, String severity, String node, Instant start, Instant end,
                                             Map<String, Object> more, String summary) {
        Map<String, Object> labels = map("alertname", name, "severity", severity);
        if (node != null) {
            labels.put("node", node);
        }
        labels.putAll(more);
        return map("id", id, "fingerprint", Long.toHexString(0xa1e0 + id), "status", end == null ? "firing" : "resolved",
                "alertname", name, "severity", severity, "node", node, "startsAt", start.toString(),
                "endsAt", end == null ? null : end.toString(), "labels", labels,
                "annotations", map("summary", summary, "runbook", "docs/operations.md#" + name.toLowerCase()),
                "generatorUrl", "http://prometheus:9090/graph", "receivedAt", start.toString(), "updatedAt", Instant.now().toString());
    }

    private static boolean quiet(HttpServerRequest q) {
        return QUIET_NODE.equals(query(q, "node"));
    }

    private static String query(HttpServerRequest q, String name) {
        var values = new io.netty.handler.codec.http.QueryStringDecoder(q.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Instant from(HttpServerRequest q) {
        String from = query(q, "from");
        return from == null ? Instant.now().minus(1, ChronoUnit.HOURS) : Instant.parse(from);
    }

    private static Double ratio(int n, int d) {
        return d == 0 ? null : Math.round(1000.0 * n / d) / 1000.0;
    }

    /** The breakdowns' groups before homer-api's top cut: by node the kpi's ten calls, by source twelve addresses. */
    static final Map<String, List<Map<String, Object>>> BREAKDOWNS = Map.of(
            "node", List.of(group("kamailio-edge", "node", "kamailio-edge", 7, 5, 3L, 1L),
                    group("kamailio-core", "node", "kamailio-core", 3, 1, 2L, 0L)),
            "srcIp", java.util.stream.IntStream.rangeClosed(1, 12)
                    .mapToObj(i -> group("10.0.0." + i, "srcIp", "10.0.0." + i, i <= 2 ? 3 : 1, i <= 2 ? 2 : 0, 0L, 0L)).toList(),
            "calleePrefix", List.of(group("+4930", "callee", "+4930*,004930*,030*", 6, 4, null, null),
                    group("1000", "callee", "1000*", 4, 2, null, null)));

    private static Map<String, Object> group(String key, String param, String value, int calls, int answered, Long registrations,
                                             Long failing) {
        int failed = calls - answered;
        Map<String, Object> g = map("key", key, "search", Map.of(param, value), "calls", calls, "attempts", calls, "answered", answered,
                "asr", ratio(answered, calls), "ner", ratio(answered, calls), "failures", map("4xx", failed, "5xx", 0, "6xx", 0));
        g.putAll(map("avgDurationMs", answered == 0 ? null : 30654.0, "registrations", registrations, "registrationsFailing", failing,
                "registrationFailureRatio", registrations == null || registrations == 0 ? null
                        : Math.round(1000.0 * failing / registrations) / 1000.0));
        return g;
    }

    /** homer-api's breakdown: its parameters, its 400s for a bad by or top, its top cut and group count. */
    @SuppressWarnings("unchecked")
    private Mono<Void> breakdown(HttpServerRequest q, HttpServerResponse s) {
        String by = query(q, "by");
        if (by == null) {
            return error(s, 400, "bad_request", "by: missing (expected one of: node, srcIp, calleePrefix)");
        }
        if (!BREAKDOWNS.containsKey(by)) {
            return error(s, 400, "bad_request", "by: \"" + by + "\" is not a breakdown (expected one of: node, srcIp, calleePrefix)");
        }
        String rawTop = query(q, "top");
        int top = rawTop == null ? 10 : rawTop.matches("[0-9]{1,9}") ? Integer.parseInt(rawTop) : -1;
        if (top < 1 || top > 100) {
            return error(s, 400, "bad_request", rawTop.matches("[0-9]{1,9}") ? "top: " + top + " is out of range (expected: 1 to 100)"
                    : "top: not a number: \"" + rawTop + "\" (expected: 1 to 100)");
        }
        // a node narrows the records: by node its own rows; otherwise the same groups here, their searches naming it
        // (QUIET_NODE captured nothing)
        String node = query(q, "node");
        List<String> nodes = node == null || node.isEmpty() ? List.of() : List.of(node.split(","));
        List<Map<String, Object>> groups = quiet(q) ? List.of() : BREAKDOWNS.get(by).stream()
                .filter(g -> nodes.isEmpty() || !by.equals("node") || nodes.contains((String) g.get("key")))
                .map(g -> {
                    if (nodes.isEmpty() || by.equals("node")) {
                        return g;
                    }
                    Map<String, Object> narrowed = new LinkedHashMap<>(g);
                    Map<String, Object> search = new LinkedHashMap<>((Map<String, Object>) g.get("search"));
                    search.put("node", node);
                    narrowed.put("search", search);
                    return narrowed;
                }).toList();
        Instant from = from(q);
        String to = query(q, "to") == null ? Instant.now().toString() : query(q, "to");
        return send(s, map("from", from.toString(), "to", to, "by", by, "top", top, "prefixLength", by.equals("calleePrefix") ? 4 : null,
                "nodes", nodes, "groups", groups.size(), "rows", groups.stream().limit(top).toList()));
    }

    private Mono<Void> kpi(HttpServerRequest q, HttpServerResponse s) {
        boolean quiet = quiet(q);
        Instant from = from(q);
        var series = new ArrayList<Map<String, Object>>();
        int[] sum = new int[7];
        for (int i = 0; i < INVITES.length; i++) {
            int inv = quiet ? 0 : INVITES[i], att = quiet ? 0 : INVITES[i] - REDIRECTED[i], ans = quiet ? 0 : ANSWERED[i];
            int busy = quiet ? 0 : BUSY[i], failed = quiet ? 0 : FAILED[i], sd = quiet ? 0 : DEFECTS[i], ineff = quiet ? 0 : INEFFECTIVE[i];
            int[] row = {inv, att, ans, busy, failed, sd, ineff};
            for (int k = 0; k < row.length; k++) sum[k] += row[k];
            series.add(map("t", from.plusSeconds((long) i * STEP).toString(), "invites", inv, "attempts", att, "answered", ans,
                    "busy", busy, "failed", failed, "sessionDefects", sd, "ineffective", ineff,
                    "asr", ratio(ans, att), "ner", ratio(ans + busy, att), "isa", ratio(ineff, inv), "sd", ratio(sd, att),
                    "ahr", inv == 0 ? null : 2.0));
        }
        var total = map("invites", sum[0], "attempts", sum[1], "answered", sum[2], "busy", sum[3], "failed", sum[4],
                "sessionDefects", sum[5], "ineffective", sum[6],
                "asr", ratio(sum[2], sum[1]), "ner", ratio(sum[2] + sum[3], sum[1]), "isa", ratio(sum[6], sum[0]), "sd", ratio(sum[5], sum[1]),
                "avgPddMs", quiet ? null : 850.4, "avgDurationMs", quiet ? null : 30654.0, "ahr", quiet ? null : 2.0,
                "finalStatus", quiet ? Map.of() : map("200", 6, "486", 1, "302", 1, "503", 1, "404", 1),
                "registrations", quiet ? 0 : 5, "registrationsSucceeded", quiet ? 0 : 3);
        return send(s, map("from", from.toString(), "to", from.plusSeconds((long) INVITES.length * STEP).toString(), "stepSeconds", STEP,
                "nodes", quiet ? List.of() : List.of("kamailio-edge", "kamailio-core"), "total", total, "series", series));
    }

    private Mono<Void> volume(HttpServerRequest q, HttpServerResponse s) {
        boolean quiet = quiet(q);
        Instant from = from(q);
        var series = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < INVITES.length; i++) {
            int inv = quiet ? 0 : INVITES[i] * 2, bye = quiet ? 0 : BYES[i] * 2, other = quiet ? 0 : 3;
            int s1 = quiet ? 0 : INVITES[i] * 2, s2 = quiet ? 0 : ANSWERED[i] * 2 + BYES[i], s4 = quiet ? 0 : BUSY[i] + FAILED[i];
            series.add(map("t", from.plusSeconds((long) i * STEP).toString(), "total", inv + bye + other + s1 + s2 + s4,
                    "methods", map("INVITE", inv, "BYE", bye, "OTHER", other),
                    "statuses", map("1xx", s1, "2xx", s2, "3xx", quiet ? 0 : REDIRECTED[i], "4xx", s4, "5xx", quiet ? 0 : DEFECTS[i], "6xx", 0)));
        }
        return send(s, map("from", from.toString(), "to", from.plusSeconds((long) INVITES.length * STEP).toString(), "stepSeconds", STEP,
                "series", series));
    }

    /** The call record of {@link #CALL} (and of the attacker's call, its texts markup), as homer-api answers it. */
    /** As homer-api: who shared the call, until when, its view; 404 for a token that is not live. */
    private Mono<Void> about(HttpServerResponse s, String token) {
        return shareItems.values().stream().filter(i -> token.equals(i.get("token")) && shares.containsKey(token)).findFirst()
                .map(i -> send(s, map("callId", i.get("callId"), "createdBy", i.get("createdBy"), "createdAt", i.get("createdAt"),
                        "expiresAt", i.get("expiresAt"), "view", i.get("view"), "brand", BRAND)))
                .orElseGet(() -> error(s, 404, "not_found", "not found"));
    }

    private Mono<Void> record(HttpServerResponse s, String callId) {
        boolean xss = XSS_CALL.equals(callId);
        if (!CALL.equals(callId) && !xss) {
            return s.status(404).header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"message\":\"no call record for this Call-ID\"}")).then();
        }
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("callId", callId);
        record.put("state", "completed");
        record.put("hangupBy", "caller");
        record.put("finalStatus", 200);
        record.put("finalPhrase", "OK");
        record.put("reason", map("protocol", "Q.850", "cause", 16, "text", xss ? IMG : "Normal call clearing"));
        record.put("caller", map("user", "alice", "name", xss ? IMG : "Alice", "userAgent", "softphone/2"));
        record.put("callee", map("user", "bob", "name", null, "userAgent", "pbx/9"));
        record.put("pddMs", 120);
        record.put("ringMs", 2300);
        record.put("durationMs", 61000);
        record.put("codecs", List.of(xss ? IMG : "PCMA/8000"));
        record.put("messages", 9);
        record.put("retransmissions", 1);
        record.put("reInvites", 0);
        record.put("inviteHops", 2);
        record.put("media", map("reports", 12, "mos", 3.42, "minMos", 2.9, "lossPercent", 6.4, "jitterMs", 18.0, "rttMs", 85.0,
                "verdicts", List.of("high_loss")));
        // the early dialogs of its INVITE: the ordinary call's one device; the attacker's forked to five, three kept
        // (a bound made small for the test: homer-api keeps 32), one from the host whose alias is markup; first to reply first
        if (xss) {
            record.put("dialogs", List.of(
                    dialog(IMG, "192.0.2.20", 150_000, 150_000L, 487, false),
                    dialog("b1", "192.0.2.30", 180_000, 180_000L, 200, true),
                    dialog("d1", "192.0.2.40", 190_000, null, 480, false)));
            record.put("dialogsDropped", 2);
        } else {
            record.put("dialogs", List.of(dialog("as5e", "192.0.2.30", 611_000, 611_000L, 200, true)));
            record.put("dialogsDropped", 0);
        }
        return send(s, record);
    }

    /** An early dialog of a record as homer-api writes it; times in µs after the fake's base time. */
    private Map<String, Object> dialog(String toTag, String ip, long firstReplyAt, Long ringingAt, int lastStatus, boolean answered) {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("toTag", toTag);
        d.put("source", map("ip", ip, "port", 5060));
        d.put("firstReplyAt", ts(firstReplyAt));
        d.put("ringingAt", ringingAt == null ? null : ts(ringingAt));
        d.put("lastStatus", lastStatus);
        d.put("answered", answered);
        d.put("cancelled", lastStatus == 487);
        return d;
    }

    private Mono<Void> flow(HttpServerResponse s, String callId) {
        List<Map<String, Object>> messages = messagesOf(callId);
        if (messages == null) {
            return s.status(404).header("Content-Type", "application/json").sendString(Mono.just("{\"error\":\"not found\"}")).then();
        }
        var hosts = new ArrayList<Map<String, Object>>();
        hosts.add(host("192.0.2.10", 5060, "alice-phone"));
        hosts.add(host("192.0.2.20", 5060, XSS_CALL.equals(callId) ? IMG : "kamailio-edge"));
        hosts.add(host("192.0.2.30", 5060, "bob-pbx"));
        var qos = new ArrayList<Map<String, Object>>();
        if (CALL.equals(callId)) {
            for (int i = 0; i < 6; i++) {
                // As homer-api sends them: the agent's RTCP JSON as the raw payload.
                String rtcp = "{\"ssrc\":305419896,\"report_blocks\":[{\"fraction_lost\":" + (i % 3)
                        + ",\"packets_lost\":" + i + ",\"ia_jitter\":" + (25 + i * 7) + "}]}";
                qos.add(map("id", "q" + i, "timestamp", ts(3_000_000L + i * 5_000_000L), "legCallId", CALL, "protoType", 5,
                        "srcIp", "192.0.2.10", "srcPort", 40001, "dstIp", "192.0.2.30", "dstPort", 50001,
                        "captureId", 2001, "node", "kamailio-edge", "raw", rtcp, "rawEncoding", "utf8"));
            }
        }
        var logs = List.of(map("id", "l1", "timestamp", ts(1_000), "legCallId", callId, "protoType", 100, "node", "kamailio-edge",
                "logLevel", "error", "raw", "routing INVITE for " + IMG, "rawEncoding", "utf8"));
        List<String> callIds = CALL.equals(callId) ? List.of(CALL, B_LEG)
                : FAILED_CALL.equals(callId) ? List.of(FAILED_CALL, FAILED_B, FAILED_C) : List.of(XSS_CALL);
        return send(s, map("callIds", callIds, "hosts", hosts, "messages", messages, "qos", qos, "logs", logs,
                "from", ts(-60_000_000), "to", ts(3_600_000_000L), "truncated", SLASH_CALL.equals(callId),
                // homer-api cuts a flow at homer.api.flow.max-bytes: the slash call is served as cut there
                "truncatedBy", SLASH_CALL.equals(callId) ? "bytes" : null));
    }

    /**
     * The call's media quality in the shape of homer-api's {@code CallQos} (docs/api.md): for the main call one
     * stream whose jitter is above the threshold, from its six RTCP reports; for the others, no report.
     */
    /** The stream's six reports as rated points, 5 s apart: jitter rising to 60 ms at the fourth, no round trip. */
    private List<Map<String, Object>> series() {
        double[] loss = {0, 0.39, 0.78, 0.39, 0.39, 0.39};
        double[] jitter = {2.5, 3.1, 4.0, 60.0, 8.1, 6.1};
        double[] mos = {4.38, 4.31, 4.27, 3.98, 4.16, 4.2};
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            long at = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, start) + 3_000_000L + i * 5_000_000L;
            points.add(map("atMicros", at, "lossPercent", loss[i], "jitterMs", jitter[i], "rttMs", null, "mos", mos[i]));
        }
        return points;
    }

    private Mono<Void> qos(HttpServerResponse s, String callId) {
        if (messagesOf(callId) == null) {
            return s.status(404).header("Content-Type", "application/json").sendString(Mono.just("{\"error\":\"not found\"}")).then();
        }
        boolean main = CALL.equals(callId);
        var streams = main ? List.of(map("sourceSsrc", 305419896L, "reporterSsrc", 1L, "from", "192.0.2.30:50001",
                "to", "192.0.2.10:40001", "leg", CALL, "reports", 6, "lossPercent", 0.39, "maxLossPercent", 0.78,
                "packetsLost", 5, "packetsExpected", 1250, "packetsReceived", 1246, "jitterMs", 7.3, "maxJitterMs", 60.0,
                "rttMs", null, "mos", 4.21, "minMos", 3.98,
                "reportedMos", null, "series", series())) : List.<Map<String, Object>>of();
        var verdicts = main
                ? List.of(map("code", "high_jitter", "text", "192.0.2.30:50001 → 192.0.2.10:40001: jitter up to 60 ms (above 50 ms)", "stream", 0))
                : List.of(map("code", "no_media_reports", "text", "No RTCP report was captured for this call: its media quality "
                        + "is unknown (is the media relay or the endpoints' agent sending reports?)", "stream", null));
        return send(s, map("callId", callId, "codec", map("name", "PCMA", "clockRate", 8000, "ie", 0.0, "bpl", 25.1, "fromSdp", true),
                "thresholds", map("lossPercent", 5.0, "jitterMs", 50.0, "rttMs", 400.0), "reports", main ? 6 : 0,
                "unreadReports", 0, "streams", streams, "verdicts", verdicts,
                "units", map("loss", "percent of packets", "jitter", "ms", "rtt", "ms", "mos", "1 to 4.5")));
    }

    private Mono<Void> message(HttpServerResponse s, String id) {
        var found = flows.values().stream().flatMap(List::stream).filter(m -> m.get("id").equals(id)).findFirst();
        if (found.isEmpty()) {
            return s.status(404).header("Content-Type", "application/json").sendString(Mono.just("{\"error\":\"no such message\"}")).then();
        }
        var item = new LinkedHashMap<>(found.get());
        item.remove("legCallId");
        return send(s, item);
    }

    /**
     * Server-sent events as homer-api writes them ({@code :open}, {@code event:message}, {@code id:},
     * {@code data:}, {@code :heartbeat}), with the failures a live view must survive: the first stream
     * sends the first half of the first call's messages and ends (as homer-api does for a slow client or
     * a database error); the next request gets 429 (all streams taken); the one after resumes from its
     * {@code Last-Event-ID}, repeating that event (a late-committed row may come twice), and stays open.
     */
    private Mono<Void> stream(HttpServerRequest q, HttpServerResponse s) {
        var items = liveItems();
        String lastEventId = q.requestHeaders().get("Last-Event-ID");
        streamRequests.add(lastEventId == null ? "" : lastEventId);
        int n = streamRequests.size();
        if (n == 2) {
            return error(s, 429, "too_many_requests", "too many live streams");
        }
        int resumeAt = lastEventId == null ? -1 : indexOf(items, lastEventId);
        if (lastEventId != null && resumeAt < 0) {
            return error(s, 400, "bad_request", "Last-Event-ID: not a message id (expected: the id of an event of this stream)");
        }
        List<Map<String, Object>> sent = n == 1 ? items.subList(0, items.size() / 2)
                : n == 3 ? items.subList(resumeAt, items.size()) : items.subList(resumeAt + 1, items.size());
        Flux<String> events = Flux.fromIterable(sent)
                .delayElements(Duration.ofMillis(100))
                .map(item -> {
                    try {
                        return "event:message\nid:" + item.get("id") + "\ndata:" + json.writeValueAsString(item) + "\n\n";
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                });
        Flux<String> body = Flux.concat(Mono.just(":open\n\n"), events, Mono.just(":heartbeat\n\n"),
                n == 1 ? Flux.empty() : Flux.never());
        return s.header("Content-Type", "text/event-stream").sendString(body).then();
    }

    /** The messages the live stream serves, in order: the first call's (both legs), a registration, an OPTIONS ping. */
    List<Map<String, Object>> liveItems() {
        var items = new ArrayList<>(allMessages().subList(0, messageCount(CALL)));
        for (var m : liveOthers) {
            var item = new LinkedHashMap<>(m);
            item.remove("raw");
            item.remove("rawEncoding");
            item.remove("legCallId");
            items.add(item);
        }
        return items;
    }

    static final String REGISTRATION = "reg-1@192.0.2.10";
    static final String OPTIONS_PING = "ping-1@192.0.2.20";

    private List<Map<String, Object>> registrationAndOptions() {
        String a = "192.0.2.10", p = "192.0.2.20", b = "192.0.2.30";
        return List.of(
                msg(40_000_000, a, p, REGISTRATION, "REGISTER", null, "1 REGISTER", "alice", "alice", "Linphone/5.2",
                        request("REGISTER", "alice", a, p, REGISTRATION, "1 REGISTER", "z9hG4bK-r1", "Linphone/5.2")),
                msg(40_001_000, p, a, REGISTRATION, "REGISTER", 200, "1 REGISTER", "alice", "alice", "kamailio (5.7)",
                        response(200, "OK", REGISTRATION, "1 REGISTER")),
                msg(41_000_000, p, b, OPTIONS_PING, "OPTIONS", null, "1 OPTIONS", "kamailio", "bob-pbx", "kamailio (5.7)",
                        request("OPTIONS", "bob-pbx", p, b, OPTIONS_PING, "1 OPTIONS", "z9hG4bK-o1", "kamailio (5.7)")),
                msg(41_000_900, b, p, OPTIONS_PING, "OPTIONS", 200, "1 OPTIONS", "kamailio", "bob-pbx", "Asterisk PBX 20",
                        response(200, "OK", OPTIONS_PING, "1 OPTIONS")));
    }

    /** The capture time (ISO-8601 UTC, microseconds) of a call's message, the index-th in time order. */
    String timestamp(String callId, int index) {
        return (String) flows.get(callId).get(index).get("timestamp");
    }

    /** The raw text (CRLF line ends) of a call's message, the index-th in time order. */
    String raw(String callId, int index) {
        return (String) flows.get(callId).get(index).get("raw");
    }

    /** The session (cookie or bearer token) of every logout request so far. */
    List<String> loggedOut() {
        return List.copyOf(loggedOut);
    }

    /** Every request refused for a missing or wrong CSRF token ("METHOD uri"). */
    List<String> csrfRefusals() {
        return List.copyOf(csrfRefusals);
    }

    /** The Last-Event-ID of every stream request so far ("" when none was sent). */
    List<String> streamRequests() {
        return List.copyOf(streamRequests);
    }

    private static int indexOf(List<Map<String, Object>> items, String id) {
        for (int i = 0; i < items.size(); i++) {
            if (id.equals(items.get(i).get("id"))) {
                return i;
            }
        }
        return -1;
    }

    private Mono<Void> pcap(HttpServerResponse s, String callId) {
        if (messagesOf(callId) == null) {
            return s.status(404).send().then();
        }
        return s.header("Content-Type", "application/vnd.tcpdump.pcap")
                .header("Content-Disposition", "attachment; filename=\"call.pcap\"")
                .sendByteArray(Mono.just(PCAP)).then();
    }

    private Mono<Void> text(HttpServerResponse s, String callId, String kind) {
        var sb = new StringBuilder();
        for (var m : java.util.Objects.requireNonNullElse(messagesOf(callId), List.<Map<String, Object>>of())) {
            sb.append(kind.equals("sipp") ? "<send><![CDATA[\n" : "").append(m.get("raw")).append(kind.equals("sipp") ? "]]></send>\n" : "\n\n");
        }
        return s.header("Content-Type", "text/plain;charset=utf-8").sendString(Mono.just(sb.toString())).then();
    }

    private Mono<Void> send(HttpServerResponse s, Object body) {
        try {
            return s.header("Content-Type", "application/json").sendByteArray(Mono.just(json.writeValueAsBytes(body))).then();
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
    }

    // --- data

    /** The item key of each of the call list's sorts (homer-api's CallSort). */
    private static final Map<String, String> CALL_SORTS = Map.of("started", "startedAt", "duration", "durationMs", "pdd", "pddMs",
            "state", "state", "finalStatus", "finalStatus", "mos", "mos", "caller", "fromUser", "callee", "toUser");

    /**
     * A page of the call list as homer-api answers it: sorted on {@code sort} ({@code order}, newest first by default; a
     * missing value last, ties by Call-ID), {@code limit} calls from the {@code cursor} (here an offset), both cursors
     * and the exact total.
     */
    private Map<String, Object> callPage(Map<String, List<String>> query) {
        String sort = query.getOrDefault("sort", List.of("started")).get(0);
        boolean ascending = query.getOrDefault("order", List.of("desc")).get(0).equals("asc");
        int limit = Integer.parseInt(query.getOrDefault("limit", List.of("100")).get(0));
        String cursor = query.getOrDefault("cursor", List.of("")).get(0);
        int offset = cursor.startsWith("offset-") ? Integer.parseInt(cursor.substring(7)) : 0;
        String key = CALL_SORTS.getOrDefault(sort, "startedAt");
        java.util.Comparator<Map<String, Object>> byValue = (a, b) -> {
            Object x = a.get(key);
            Object y = b.get(key);
            if (x == null || y == null) {
                return x == null && y == null ? 0 : x == null ? 1 : -1;
            }
            int c = x instanceof Number n ? Double.compare(n.doubleValue(), ((Number) y).doubleValue()) : x.toString().compareTo(y.toString());
            return ascending ? c : -c;
        };
        java.util.Comparator<Map<String, Object>> byCallId = java.util.Comparator.comparing(m -> (String) m.get("callId"));
        List<Map<String, Object>> all = new ArrayList<>(calls());
        all.sort(byValue.thenComparing(ascending ? byCallId : byCallId.reversed()));
        List<Map<String, Object>> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
        return map("items", page, "nextCursor", offset + limit < all.size() ? "offset-" + (offset + limit) : null,
                "prevCursor", offset > 0 ? "offset-" + Math.max(0, offset - limit) : null, "total", all.size(), "totalExact", true);
    }

    private List<Map<String, Object>> calls() {
        var calls = new ArrayList<Map<String, Object>>();
        calls.add(map("callId", CALL, "startedAt", ts(0), "answeredAt", ts(2_345_678), "endedAt", ts(33_000_000),
                "fromUser", "alice", "toUser", "bob", "finalStatus", 200, "durationMs", 30654, "messageCount", messageCount(CALL),
                "legs", List.of(CALL, B_LEG), "state", "completed", "hangupBy", "caller", "reasonCause", 16, "pddMs", 120,
                "mos", 3.42, "verdicts", List.of("high_loss"), "forks", 1, "inviteHops", 2));
        calls.add(map("callId", XSS_CALL, "startedAt", ts(60_000_000), "answeredAt", null, "endedAt", ts(60_500_000),
                "fromUser", IMG, "toUser", SCRIPT, "finalStatus", 488, "durationMs", 0, "messageCount", messageCount(XSS_CALL),
                "legs", List.of(XSS_CALL), "state", IMG, "hangupBy", null, "reasonCause", null, "pddMs", null,
                "mos", null, "verdicts", List.of(), "forks", 5,
                "inviteHops", null));
        return calls;
    }

    private List<Map<String, Object>> allMessages() {
        var all = new ArrayList<Map<String, Object>>();
        for (var list : flows.values()) {
            for (var m : list) {
                var item = new LinkedHashMap<>(m);
                item.remove("raw");
                item.remove("rawEncoding");
                item.remove("legCallId");
                all.add(item);
            }
        }
        return all;
    }

    private int nextId = 1;

    /** How far behind the collector's clock the B-leg PBX's clock is: 3 h 12 min. */
    static final long AGENT_BEHIND_MICROS = (3 * 3600L + 12 * 60L) * 1_000_000L;

    private Map<String, Object> msg(long offsetMicros, String srcIp, String dstIp, String callId, String method, Integer status,
                                    String cseq, String from, String to, String ua, String raw) {
        String crlf = raw.replace("\n", "\r\n");
        return map("id", String.valueOf(nextId++), "timestamp", ts(offsetMicros), "callId", callId, "correlationId", CALL,
                "method", method, "status", status, "cseq", cseq, "fromUser", from, "toUser", to, "ruriUser", to,
                "userAgent", ua, "srcIp", srcIp, "srcPort", 5060, "dstIp", dstIp, "dstPort", 5060, "transport", "UDP",
                "protoType", 1, "captureId", 2001, "node", "kamailio-edge", "size", crlf.getBytes(StandardCharsets.UTF_8).length,
                "raw", crlf, "rawEncoding", "utf8", "legCallId", callId);
    }

    private List<Map<String, Object>> b2buaCall() {
        String a = "192.0.2.10", p = "192.0.2.20", b = "192.0.2.30";
        String inviteA = request("INVITE", "bob", a, p, CALL, "1 INVITE", "z9hG4bK-a1", "Linphone/5.2");
        String inviteB = request("INVITE", "bob", p, b, B_LEG, "1 INVITE", "z9hG4bK-b1", "kamailio (5.7)");
        var list = new ArrayList<Map<String, Object>>();
        list.add(msg(0, a, p, CALL, "INVITE", null, "1 INVITE", "alice", "bob", "Linphone/5.2", inviteA));
        list.add(msg(1_200, p, a, CALL, "INVITE", 100, "1 INVITE", "alice", "bob", "kamailio (5.7)", response(100, "Trying", CALL, "1 INVITE")));
        list.add(msg(2_900, p, b, B_LEG, "INVITE", null, "1 INVITE", "alice", "bob", "kamailio (5.7)", inviteB));
        list.add(msg(502_900, p, b, B_LEG, "INVITE", null, "1 INVITE", "alice", "bob", "kamailio (5.7)", inviteB));
        list.add(msg(611_000, b, p, B_LEG, "INVITE", 180, "1 INVITE", "alice", "bob", "Asterisk PBX 20", response(180, "Ringing", B_LEG, "1 INVITE")));
        list.add(msg(612_400, p, a, CALL, "INVITE", 180, "1 INVITE", "alice", "bob", "kamailio (5.7)", response(180, "Ringing", CALL, "1 INVITE")));
        list.add(msg(2_344_000, b, p, B_LEG, "INVITE", 200, "1 INVITE", "alice", "bob", "Asterisk PBX 20", response(200, "OK", B_LEG, "1 INVITE")));
        list.add(msg(2_345_678, p, a, CALL, "INVITE", 200, "1 INVITE", "alice", "bob", "kamailio (5.7)", response(200, "OK", CALL, "1 INVITE")));
        list.add(msg(2_401_000, a, p, CALL, "ACK", null, "1 ACK", "alice", "bob", "Linphone/5.2", request("ACK", "bob", a, p, CALL, "1 ACK", "z9hG4bK-a2", "Linphone/5.2")));
        list.add(msg(2_402_500, p, b, B_LEG, "ACK", null, "1 ACK", "alice", "bob", "kamailio (5.7)", request("ACK", "bob", p, b, B_LEG, "1 ACK", "z9hG4bK-b2", "kamailio (5.7)")));
        // alice puts bob on hold at 20 s: a re-INVITE (To tag: within the dialog) whose SDP is sendonly, and its 200
        String hold = "INVITE sip:bob@" + p + " SIP/2.0\nVia: SIP/2.0/UDP " + a + ":5060;branch=z9hG4bK-a4\nMax-Forwards: 70\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\nTo: <sip:bob@example.com>;tag=b0b\nCall-ID: " + CALL
                + "\nCSeq: 3 INVITE\nContent-Type: application/sdp\nContent-Length: 140\n\nv=0\no=alice 2890844526 2890844527 IN IP4 "
                + a + "\ns=-\nc=IN IP4 " + a + "\nt=0 0\nm=audio 40000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=sendonly\n";
        list.add(msg(20_000_000, a, p, CALL, "INVITE", null, "3 INVITE", "alice", "bob", "Linphone/5.2", hold));
        list.add(msg(20_001_000, p, a, CALL, "INVITE", 200, "3 INVITE", "alice", "bob", "kamailio (5.7)", response(200, "OK", CALL, "3 INVITE")));
        list.add(msg(33_000_000, a, p, CALL, "BYE", null, "2 BYE", "alice", "bob", "Linphone/5.2", request("BYE", "bob", a, p, CALL, "2 BYE", "z9hG4bK-a3", "Linphone/5.2")));
        list.add(msg(33_001_000, p, a, CALL, "BYE", 200, "2 BYE", "alice", "bob", "kamailio (5.7)", response(200, "OK", CALL, "2 BYE")));
        // the PBX's clock is 3 h 12 min behind: the collector stored its messages with its offset (issue 20)
        list.stream().filter(m -> "Asterisk PBX 20".equals(m.get("userAgent")))
                .forEach(m -> m.put("agentClockSkewMicros", -AGENT_BEHIND_MICROS));
        return list;
    }

    static final String FAILED_B = "fail-1-b@192.0.2.20";
    static final String FAILED_C = "fail-1-c@192.0.2.20";

    private List<Map<String, Object>> failedCall() {
        String a = "192.0.2.10", p = "192.0.2.20", b = "192.0.2.30", c = "192.0.2.30";
        String ua = "Linphone/5.2", k = "kamailio (5.7)";
        String toB = request("INVITE", "bob", p, b, FAILED_B, "1 INVITE", "z9hG4bK-fb1", k);
        var list = new ArrayList<Map<String, Object>>();
        list.add(msg(0, a, p, FAILED_CALL, "INVITE", null, "1 INVITE", "alice", "bob", ua, request("INVITE", "bob", a, p, FAILED_CALL, "1 INVITE", "z9hG4bK-f1", ua)));
        list.add(msg(800, p, a, FAILED_CALL, "INVITE", 407, "1 INVITE", "alice", "bob", k, response(407, "Proxy Authentication Required", FAILED_CALL, "1 INVITE")));
        list.add(msg(20_000, a, p, FAILED_CALL, "ACK", null, "1 ACK", "alice", "bob", ua, request("ACK", "bob", a, p, FAILED_CALL, "1 ACK", "z9hG4bK-f1", ua)));
        list.add(msg(25_000, a, p, FAILED_CALL, "INVITE", null, "2 INVITE", "alice", "bob", ua, request("INVITE", "bob", a, p, FAILED_CALL, "2 INVITE", "z9hG4bK-f2", ua)));
        list.add(msg(26_000, p, a, FAILED_CALL, "INVITE", 100, "2 INVITE", "alice", "bob", k, response(100, "Trying", FAILED_CALL, "2 INVITE")));
        // RFC 3261 timer A: the same bytes again after 0.5, 1 and 2 s; bob-pbx never answers
        for (long at : new long[] {28_000, 528_000, 1_528_000, 3_528_000}) {
            list.add(msg(at, p, b, FAILED_B, "INVITE", null, "1 INVITE", "alice", "bob", k, toB));
        }
        list.add(onPort(msg(4_030_000, p, c, FAILED_C, "INVITE", null, "1 INVITE", "alice", "bob", k, request("INVITE", "bob", p, c, FAILED_C, "1 INVITE", "z9hG4bK-fc1", k)), "dstPort", 5062));
        list.add(onPort(msg(4_090_000, c, p, FAILED_C, "INVITE", 183, "1 INVITE", "alice", "bob", "Asterisk PBX 20",
                response(183, "Session Progress", FAILED_C, "1 INVITE", sdp(c, 8, "PCMA", "sendonly"))), "srcPort", 5062));
        list.add(onPort(msg(6_500_000, c, p, FAILED_C, "INVITE", 603, "1 INVITE", "alice", "bob", "Asterisk PBX 20", response(603, "Decline", FAILED_C, "1 INVITE")), "srcPort", 5062));
        list.add(onPort(msg(6_501_000, p, c, FAILED_C, "ACK", null, "1 ACK", "alice", "bob", k, request("ACK", "bob", p, c, FAILED_C, "1 ACK", "z9hG4bK-fc1", k)), "dstPort", 5062));
        list.add(msg(6_502_000, p, a, FAILED_CALL, "INVITE", 503, "2 INVITE", "alice", "bob", k, response(503, "Service Unavailable", FAILED_CALL, "2 INVITE")));
        list.add(msg(6_560_000, a, p, FAILED_CALL, "ACK", null, "2 ACK", "alice", "bob", ua, request("ACK", "bob", a, p, FAILED_CALL, "2 ACK", "z9hG4bK-f2", ua)));
        return list;
    }

    /** The message with one of its ports changed. */
    private static Map<String, Object> onPort(Map<String, Object> message, String key, int port) {
        message.put(key, port);
        return message;
    }

    /** An SDP body with one audio stream of one codec (RFC 4566) and, unless null, a direction attribute (RFC 3264). */
    private static String sdp(String ip, int pt, String codec, String direction) {
        return "v=0\no=- 2890844527 2890844527 IN IP4 " + ip + "\ns=-\nc=IN IP4 " + ip + "\nt=0 0\nm=audio 50000 RTP/AVP " + pt
                + " 101\na=rtpmap:" + pt + " " + codec + "/8000\na=rtpmap:101 telephone-event/8000\n"
                + (direction == null ? "" : "a=" + direction + "\n");
    }

    private List<Map<String, Object>> xssCall() {
        String invite = "INVITE sip:" + SCRIPT + "@192.0.2.20 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-x1\n"
                + "From: \"" + IMG + "\" <sip:mallory@evil.example>;tag=1\n"
                + "To: <sip:" + SCRIPT + "@192.0.2.20>\n"
                + "Call-ID: " + XSS_CALL + "\n"
                + "CSeq: 1 INVITE\n"
                + "Contact: <" + JS_CONTACT + ">\n"
                + LINE_SEP + "\n"
                + "User-Agent: " + SCRIPT + "\n"
                + "Content-Type: image/svg+xml\n"
                + "Content-Length: " + SVG.length() + "\n\n"
                + SVG;
        String reject = "SIP/2.0 488 <b onmouseover=alert(6)>Not Acceptable</b>\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-x1\n"
                + "From: \"" + IMG + "\" <sip:mallory@evil.example>;tag=1\n"
                + "To: <sip:victim@192.0.2.20>;tag=2\n"
                + "Call-ID: " + XSS_CALL + "\n"
                + "CSeq: 1 INVITE\n"
                + "Content-Length: 0\n\n";
        var list = new ArrayList<Map<String, Object>>();
        list.add(msg(60_000_000, "192.0.2.10", "192.0.2.20", XSS_CALL, "INVITE", null, "1 INVITE", IMG, SCRIPT, SCRIPT, invite));
        list.add(msg(60_500_000, "192.0.2.20", "192.0.2.10", XSS_CALL, "INVITE", 488, "1 INVITE", IMG, SCRIPT, SCRIPT, reject));
        return list;
    }

    private List<Map<String, Object>> slashCall() {
        String invite = request("INVITE", "bob", "192.0.2.10", "192.0.2.20", SLASH_CALL, "1 INVITE", "z9hG4bK-s1", "slash-phone");
        String busy = "SIP/2.0 486 Busy Here\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-s1\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\n"
                + "To: <sip:bob@192.0.2.20>;tag=s2\n"
                + "Call-ID: " + SLASH_CALL + "\n"
                + "CSeq: 1 INVITE\n"
                + "Content-Length: 0\n\n";
        var list = new ArrayList<Map<String, Object>>();
        list.add(msg(90_000_000, "192.0.2.10", "192.0.2.20", SLASH_CALL, "INVITE", null, "1 INVITE", "alice", "bob", "slash-phone", invite));
        list.add(msg(90_100_000, "192.0.2.20", "192.0.2.10", SLASH_CALL, "INVITE", 486, "1 INVITE", "alice", "bob", null, busy));
        return list;
    }

    private static String request(String method, String user, String src, String dst, String callId, String cseq, String branch, String ua) {
        return method + " sip:" + user + "@" + dst + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP " + src + ":5060;branch=" + branch + "\n"
                + "Max-Forwards: 70\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\n"
                + "To: <sip:" + user + "@example.com>\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + "\n"
                + "Contact: <sip:alice@" + src + ":5060>\n"
                + "User-Agent: " + ua + "\n"
                + (method.equals("INVITE")
                    ? "Content-Type: application/sdp\nContent-Length: 129\n\nv=0\no=alice 2890844526 2890844526 IN IP4 " + src
                        + "\ns=-\nc=IN IP4 " + src + "\nt=0 0\nm=audio 40000 RTP/AVP 0 8\na=rtpmap:0 PCMU/8000\n"
                    : "Content-Length: 0\n\n");
    }

    private static String response(int status, String reason, String callId, String cseq) {
        return response(status, reason, callId, cseq, "");
    }

    private static String response(int status, String reason, String callId, String cseq, String sdp) {
        return "SIP/2.0 " + status + " " + reason + "\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-a1\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\n"
                + "To: <sip:bob@example.com>" + (status > 100 ? ";tag=314159" : "") + "\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + "\n"
                + (sdp.isEmpty() ? "Content-Length: 0\n\n"
                    : "Content-Type: application/sdp\nContent-Length: " + sdp.length() + "\n\n" + sdp);
    }

    private String ts(long offsetMicros) {
        Instant t = start.plus(offsetMicros, ChronoUnit.MICROS);
        String iso = t.toString();
        // Always six fractional digits, as the API sends.
        String base = iso.substring(0, 19);
        return base + "." + String.format("%06d", t.getNano() / 1000) + "Z";
    }

    private static Map<String, Object> host(String ip, int port, String alias) {
        return map("ip", ip, "port", port, "alias", alias);
    }

    private static Map<String, Object> map(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
