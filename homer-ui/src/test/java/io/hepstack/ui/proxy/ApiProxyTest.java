package io.hepstack.ui.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy against a stub backend (the proxy is what is under test): requests, bodies, statuses and
 * headers pass through; server-sent events arrive one by one while the upstream stream is still open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiProxyTest {

    static final byte[] LARGE = new byte[3 * 1024 * 1024];
    static final CountDownLatch streamCancelled = new CountDownLatch(1);
    static final AtomicReference<String> lastEventId = new AtomicReference<>();
    static DisposableServer backend;

    static {
        for (int i = 0; i < LARGE.length; i++) {
            LARGE[i] = (byte) (i * 31 + (i >> 11));
        }
    }

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/v1/echo/{rest}", (req, res) -> res
                                .header("Content-Type", "application/json")
                                .header("X-Upstream", "stub")
                                .sendString(Mono.just("{\"method\":\"GET\",\"uri\":\"" + req.uri()
                                        + "\",\"authorization\":\"" + req.requestHeaders().get("Authorization")
                                        + "\",\"forwardedFor\":\"" + req.requestHeaders().get("X-Forwarded-For")
                                        + "\",\"forwardedProto\":\"" + req.requestHeaders().get("X-Forwarded-Proto")
                                        + "\",\"cookie\":\"" + req.requestHeaders().get("Cookie")
                                        + "\",\"connection\":\"" + req.requestHeaders().get("X-Hop")  + "\"}")))
                        .post("/api/v1/echo", (req, res) -> res
                                .status(201)
                                .header("Content-Type", req.requestHeaders().get("Content-Type"))
                                .send(req.receive().retain()))
                        .get("/api/v1/teapot", (req, res) -> res.status(418)
                                .header("Content-Type", "application/json")
                                .header("WWW-Authenticate", "Bearer")
                                .sendString(Mono.just("{\"error\":\"short and stout\"}")))
                        .get("/api/v1/calls/big/pcap", (req, res) -> res
                                .header("Content-Type", "application/vnd.tcpdump.pcap")
                                .sendByteArray(Flux.range(0, 48).map(i -> Arrays.copyOfRange(LARGE, i * 65536, (i + 1) * 65536))))
                        .get("/api/v1/stream/messages", (req, res) -> res
                                .header("Content-Type", "text/event-stream")
                                .sendString(Flux.concat(
                                                Mono.fromSupplier(() -> {
                                                    lastEventId.set(req.requestHeaders().get("Last-Event-ID"));
                                                    return ":open\n\nevent:message\nid:AAAB\ndata: first\n\n";
                                                }),
                                                Mono.just("data: second\n\n").delayElement(Duration.ofMillis(200)),
                                                Flux.<String>never())
                                        .doOnCancel(streamCancelled::countDown))))
                .bindNow();
        registry.add("homer.ui.api-url", () -> "http://127.0.0.1:" + backend.port());
    }

    @AfterAll
    static void stop() {
        backend.disposeNow();
    }

    /** Over the network, so flushing and the client address are real. */
    WebTestClient web;

    @BeforeEach
    void client(@LocalServerPort int port) {
        web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void forwardsPathQueryAndAuthorization() {
        web.get().uri("/api/v1/echo/x?callId=a@b&fromUser=!alice,bob*")
                .header("Authorization", "Bearer abc.def")
                .header("Connection", "X-Hop")
                .header("X-Hop", "must not pass")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Upstream", "stub")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectBody()
                .jsonPath("$.uri").isEqualTo("/api/v1/echo/x?callId=a@b&fromUser=!alice,bob*")
                .jsonPath("$.authorization").isEqualTo("Bearer abc.def")
                .jsonPath("$.connection").isEqualTo("null")
                .jsonPath("$.forwardedFor").isEqualTo("127.0.0.1")
                .jsonPath("$.forwardedProto").isEqualTo("http");
    }

    /** The browser's session cookie passes, and a TLS proxy's scheme in front of the UI reaches homer-api. */
    @Test
    void forwardsTheSessionCookieAndTheSchemeOfAProxyInFront() {
        web.get().uri("/api/v1/echo/x")
                .cookie("hepstack_session", "abc.def.ghi")
                .header("X-Forwarded-Proto", "https")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.cookie").isEqualTo("hepstack_session=abc.def.ghi")
                .jsonPath("$.forwardedProto").isEqualTo("https");
    }

    @Test
    void forwardsRequestBodyAndPreservesStatus() {
        web.post().uri("/api/v1/echo")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"admin\",\"password\":\"x\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectBody(String.class).isEqualTo("{\"username\":\"admin\",\"password\":\"x\"}");
    }

    @Test
    void preservesErrorStatusHeadersAndBody() {
        web.get().uri("/api/v1/teapot").exchange()
                .expectStatus().isEqualTo(HttpStatus.I_AM_A_TEAPOT)
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody().jsonPath("$.error").isEqualTo("short and stout");
    }

    @Test
    void streamsLargeDownloadsByteForByte() {
        byte[] body = web.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build()
                .get().uri("/api/v1/calls/big/pcap").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("application/vnd.tcpdump.pcap")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(LARGE);
    }

    @Test
    void passesServerSentEventsUnbufferedWithLastEventIdAndClosesUpstreamWhenClientLeaves() throws InterruptedException {
        Flux<String> events = web.get().uri("/api/v1/stream/messages")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .header("Last-Event-ID", "AAAAAAAAAQ8ABlGM9ZQ_BQA")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(String.class).getResponseBody();
        // The upstream never completes: both events can only arrive if each is flushed on its own.
        StepVerifier.create(events)
                .expectNext("first")
                .expectNext("second")
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(streamCancelled.await(10, TimeUnit.SECONDS)).as("upstream SSE cancelled").isTrue();
        // A client resuming after a drop names the last event it saw; homer-api needs it to continue from there.
        assertThat(lastEventId.get()).isEqualTo("AAAAAAAAAQ8ABlGM9ZQ_BQA");
    }

    @Test
    void leavesNonApiPathsToTheApp() {
        web.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("/js/app.js"));
    }
}
