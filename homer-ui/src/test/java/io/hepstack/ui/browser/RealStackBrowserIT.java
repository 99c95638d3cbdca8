package io.hepstack.ui.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.proto.hep.HepDecodeException;
import io.hepstack.proto.hep.HepDecoder;
import io.hepstack.proto.hep.HepPacket;
import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.ExtractionSettings;
import io.hepstack.proto.model.HepPayloadType;
import io.hepstack.proto.model.MessageExtractor;
import io.hepstack.proto.model.MessageKind;
import io.hepstack.proto.pcap.PcapPacket;
import io.hepstack.proto.pcap.PcapReader;
import io.hepstack.proto.call.CallRecordStore;
import io.hepstack.proto.store.MessageWriter;
import io.hepstack.proto.store.PartitionPolicy;
import io.hepstack.proto.store.WriteResult;
import io.hepstack.proto.store.testing.TestDatabase;
import io.hepstack.ui.HomerUiApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.netty.DisposableServer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The UI in headless Chromium against the REAL stack: homer-api started from its executable jar
 * ({@code homer-api/target/homer-api.jar}) as a separate process on a free port, over a
 * {@link TestDatabase} holding the Kamailio siptrace fixture (common-proto test-jar) as the collector
 * stores it ({@link HepDecoder}, {@link MessageExtractor} with X-CID, {@link MessageWriter}) plus one
 * crafted call carrying XSS payloads; homer-ui on port 0 proxying to it. Every count and byte is
 * compared with what the API itself answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealStackBrowserIT {

    static final String HEP_PCAP = "/fixtures/kamailio-siptrace/hep.pcap";
    static final ExtractionSettings SETTINGS = ExtractionSettings.DEFAULT;
    static final String ADMIN_PASSWORD = "real-stack-admin-password";
    static final int MAX_STREAMS = 1;

    static final String XSS_CALL = "xss-real@attacker.example";
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String JS_CONTACT = "javascript:alert(1)";
    static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><circle r=\"5\"/></svg>";

    @RegisterExtension
    static final TestDatabase db = TestDatabase.migrated();

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static Process apiProcess;
    static String apiUrl;
    static String apiToken;
    static DisposableServer allowedPortal;
    static ConfigurableApplicationContext ui;
    static String base;
    static Browser engineer;

    static String from;
    static String to;
    static String basicCall;
    static String shareUrl;
    static String shareToken;

    @BeforeAll
    static void start() throws Exception {
        List<CapturedMessage> rows = kamailio();
        long first = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        long last = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        List<CapturedMessage> all = new ArrayList<>(rows);
        all.addAll(xssCall(last + 60_000_000L));
        store(all);
        // the whole capture and the XSS call, with a margin of a minute on either side
        from = instant(first - 60_000_000L).toString();
        to = instant(last + 180_000_000L).toString();
        basicCall = basicCall(rows);
        System.out.printf("RealStackBrowserIT: %d fixture rows from %s to %s, basic call %s%n",
                rows.size(), instant(first), instant(last), basicCall);

        apiProcess = startApi();
        apiToken = login();

        allowedPortal = UiBrowserIT.portal("127.0.0.2");
        ui = new SpringApplicationBuilder(HomerUiApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--homer.ui.api-url=" + apiUrl,
                "--homer.ui.embed.allowed-origins=http://127.0.0.2:" + allowedPortal.port());
        base = "http://127.0.0.1:" + ui.getEnvironment().getProperty("local.server.port");
        engineer = new Browser();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (engineer != null) engineer.close();
        if (ui != null) ui.close();
        if (allowedPortal != null) allowedPortal.disposeNow();
        if (apiProcess != null) {
            apiProcess.destroy();
            if (!apiProcess.waitFor(20, TimeUnit.SECONDS)) apiProcess.destroyForcibly();
        }
    }

    // ---- the fixture, as the collector stores it ----

    static List<CapturedMessage> kamailio() throws IOException {
        MessageExtractor extractor = new MessageExtractor(SETTINGS);
        HepDecoder decoder = new HepDecoder();
        List<CapturedMessage> rows = new ArrayList<>();
        try (InputStream in = RealStackBrowserIT.class.getResourceAsStream(HEP_PCAP)) {
            assertThat(in).as("common-proto test-jar resource " + HEP_PCAP).isNotNull();
            PcapReader.read(in, (PcapPacket p) -> {
                try {
                    rows.add(extractor.extract(decoder.decode(p.payload())));
                } catch (HepDecodeException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return rows;
    }

    static void store(List<CapturedMessage> rows) {
        long latest = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).max().orElseThrow();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(latest / 1_000_000 + 60), ZoneOffset.UTC);
        WriteResult result = new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), clock).write(rows).block();
        assertThat(result).isNotNull();
        assertThat(result.rejected()).isEmpty();
        // the call and registration records the collectors' pass keeps, judged as of the same clock: the call list, the
        // dashboard's figures and the breakdowns read them
        long first = rows.stream().mapToLong((CapturedMessage m) -> m.envelope().timestampMicros()).min().orElseThrow();
        CallRecordStore records = new CallRecordStore(db.connectionFactory(), clock, CallRecordStore.Settings.DEFAULTS);
        Instant since = instant(first - 1), until = instant(latest + 1);
        assertThat(records.rebuild(since, until).block(Duration.ofSeconds(60))).as("call records").isPositive();
        records.rebuildRegistrations(since, until).block(Duration.ofSeconds(60));
    }

    /** The first Call-ID of the capture with an INVITE and a BYE. */
    static String basicCall(List<CapturedMessage> rows) {
        Map<String, List<String>> methods = new LinkedHashMap<>();
        for (CapturedMessage m : rows) {
            if (m.kind() == MessageKind.SIP_CALL && m.callId() != null && m.sip().method() != null) {
                methods.computeIfAbsent(m.callId(), k -> new ArrayList<>()).add(m.sip().method());
            }
        }
        return methods.entrySet().stream()
                .filter(e -> e.getValue().contains("INVITE") && e.getValue().contains("BYE"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** INVITE with the payloads in From, a custom header, Contact and an SVG body; 488 back; ACK. */
    static List<CapturedMessage> xssCall(long t) throws IOException {
        String dialog = "Via: SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK-xss\r\n"
                + "From: \"" + IMG + "\" <sip:mallory@198.51.100.66>;tag=m1\r\n"
                + "To: <sip:victim@192.0.2.10>\r\n"
                + "Call-ID: " + XSS_CALL + "\r\n";
        String invite = "INVITE sip:victim@192.0.2.10 SIP/2.0\r\n" + dialog
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <" + JS_CONTACT + ">\r\n"
                + "X-Note: " + SCRIPT + "\r\n"
                + "User-Agent: " + SCRIPT + "\r\n"
                + "Content-Type: image/svg+xml\r\n"
                + "Content-Length: " + SVG.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + SVG;
        String reject = "SIP/2.0 488 <b onmouseover=alert(1)>Not Acceptable</b>\r\n" + dialog.replace("<sip:victim@192.0.2.10>", "<sip:victim@192.0.2.10>;tag=v1")
                + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        String ack = "ACK sip:victim@192.0.2.10 SIP/2.0\r\n" + dialog.replace("<sip:victim@192.0.2.10>", "<sip:victim@192.0.2.10>;tag=v1")
                + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
        return List.of(
                sip(t, invite, "198.51.100.66", "192.0.2.10"),
                sip(t + 1000, reject, "192.0.2.10", "198.51.100.66"),
                sip(t + 2000, ack, "198.51.100.66", "192.0.2.10"));
    }

    static CapturedMessage sip(long t, String text, String src, String dst) throws IOException {
        return sip(t, text, src, dst, "xss-node");
    }

    static CapturedMessage sip(long t, String text, String src, String dst, String node) throws IOException {
        HepPacket p = new HepPacket(3, 2, 17, InetAddress.getByName(src), InetAddress.getByName(dst), 5060, 5060,
                t / 1_000_000, (int) (t % 1_000_000), HepPayloadType.SIP.number(), 3001, null, null, null,
                node, text.getBytes(StandardCharsets.UTF_8), false, List.of());
        return new MessageExtractor(SETTINGS).extract(p);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }

    // ---- homer-api as a process ----

    /** The executable jar the reactor built (a test dependency), else the module's target directory. */
    static Path apiJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().matches("homer-api(-[0-9].*)?\\.jar"))
                .findFirst()
                .orElse(Path.of("../homer-api/target/homer-api.jar"));
    }

    static Process startApi() throws Exception {
        Path jar = apiJar();
        assertThat(jar).as("homer-api's executable jar (build with -pl homer-ui -am)").isRegularFile();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        apiUrl = "http://127.0.0.1:" + port;
        Path log = Path.of("target/real-stack-homer-api.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--spring.r2dbc.url=" + db.r2dbcUrl(),
                "--spring.r2dbc.username=" + db.user(),
                "--spring.r2dbc.password=" + (db.password() == null ? "" : db.password()),
                "--homer.api.auth.admin-password=" + ADMIN_PASSWORD,
                "--homer.api.auth.bcrypt-strength=4",
                // one stream per replica, so that the test can take it and see the live view wait (429) and resume
                "--homer.api.stream.max-streams=" + MAX_STREAMS)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("HOMER_ADMIN_PASSWORD");
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("homer-api exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        p.destroyForcibly();
        throw new AssertionError("homer-api not ready in 120 s:\n" + Files.readString(log));
    }

    static String login() throws Exception {
        String body = JSON.writeValueAsString(Map.of("username", "admin", "password", ADMIN_PASSWORD));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("token").asText();
    }

    static <T> HttpResponse<T> get(String pathAndQuery, HttpResponse.BodyHandler<T> handler, boolean auth) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl + pathAndQuery)).timeout(Duration.ofSeconds(60));
            if (auth) b.header("Authorization", "Bearer " + apiToken);
            return HTTP.send(b.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode apiJson(String pathAndQuery) {
        HttpResponse<String> r = get(pathAndQuery, HttpResponse.BodyHandlers.ofString(), true);
        assertThat(r.statusCode()).as(pathAndQuery + " " + r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String range() {
        return "from=" + enc(from) + "&to=" + enc(to);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String callPath(String callId) {
        return "/api/v1/calls/" + enc(callId).replace("+", "%20");
    }

    static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    // ---- the browser ----

    @Test
    @Order(1)
    void logsInAndFindsTheFixturesCalls() {
        int calls = apiJson("/api/v1/calls?" + range() + "&limit=1000").get("items").size();
        assertThat(calls).as("calls of the fixture and the XSS call").isGreaterThan(1).isLessThanOrEqualTo(100);

        var d = engineer.driver;
        d.get(base + "/?view=calls&range=custom&" + range());
        waiting(d).until(ExpectedConditions.urlContains("/login"));
        d.findElement(By.id("username")).sendKeys("admin");
        d.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD, Keys.ENTER);

        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("search-button")));
        // the real session: homer-api's HttpOnly cookie through homer-ui's proxy; the page sees only its CSRF token
        assertThat((String) UiBrowserIT.js(d, "return document.cookie")).contains("hepstack_csrf=").doesNotContain("hepstack_session");
        List<WebElement> rows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), calls));
        assertThat(d.findElement(By.id("calls-table")).getText()).contains(basicCall).contains(XSS_CALL);
        assertThat(rows).isNotEmpty();
        engineer.screenshot("real-search");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(2)
    void opensABasicCallWithOneArrowPerMessageOfTheApisFlow() {
        JsonNode flow = apiJson(callPath(basicCall) + "/flow?" + range());
        int messages = flow.get("messages").size();
        assertThat(messages).isGreaterThanOrEqualTo(3);

        var d = engineer.driver;
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText(basicCall))).click();
        waiting(d).until(ExpectedConditions.urlContains("/call/"));
        List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), messages));
        assertThat(d.findElements(By.cssSelector("svg.ladder .host-name"))).hasSize(flow.get("hosts").size());

        arrows.get(0).sendKeys(Keys.ENTER);
        String firstLine = flow.get("messages").get(0).get("raw").asText().split("\r\n", 2)[0];
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), firstLine));
        assertThat(d.findElements(By.cssSelector("#detail .hn.hk"))).extracting(WebElement::getText).contains("Call-ID", "CSeq", "Via");
        String lastLine = flow.get("messages").get(messages - 1).get("raw").asText().split("\r\n", 2)[0];
        arrows.get(messages - 1).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), lastLine));
        arrows.get(0).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), firstLine));
        engineer.screenshot("real-ladder");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(3)
    void downloadsTheApisPcapAndCreatesAShareLink() throws IOException, InterruptedException {
        var d = engineer.driver;
        String callUrl = d.getCurrentUrl();
        String query = URI.create(callUrl).getRawQuery();
        byte[] apiPcap = get(callPath(basicCall) + "/pcap" + (query == null ? "" : "?" + query),
                HttpResponse.BodyHandlers.ofByteArray(), true).body();
        assertThat(apiPcap.length).isGreaterThan(24);

        d.findElement(By.id("tab-export")).click();
        d.findElement(By.id("download-pcap")).click();
        Path pcap = UiBrowserIT.awaitDownload(engineer.downloads, Duration.ofSeconds(30));
        assertThat(Files.readAllBytes(pcap)).isEqualTo(apiPcap);

        // Not the API's default (7 days): the chosen expiry must reach homer-api.
        new Select(d.findElement(By.id("share-expiry"))).selectByVisibleText("1 day");
        Instant clicked = Instant.now();
        d.findElement(By.id("create-share")).click();
        WebElement url = waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("share-url")));
        shareUrl = url.getAttribute("value");
        assertThat(shareUrl).startsWith(base + "/embed/");
        shareToken = shareUrl.substring((base + "/embed/").length());
        assertThat(shareToken).hasSize(43);
        JsonNode share = apiJson("/api/v1/shares").get("items").get(0);
        assertThat(share.get("callId").asText()).isEqualTo(basicCall);
        assertThat(Instant.parse(share.get("expiresAt").asText()))
                .isBetween(clicked.plus(Duration.ofDays(1)).minusSeconds(60), Instant.now().plus(Duration.ofDays(1)).plusSeconds(60));
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(4)
    void embedsTheSharedCallInAFreshBrowserOnAnAllowedOrigin() throws IOException, InterruptedException {
        HttpResponse<String> shared = get("/api/v1/shared/" + shareToken + "/flow", HttpResponse.BodyHandlers.ofString(), false);
        assertThat(shared.statusCode()).isEqualTo(200);
        int messages = JSON.readTree(shared.body()).get("messages").size();
        byte[] sharedPcap = get("/api/v1/shared/" + shareToken + "/pcap", HttpResponse.BodyHandlers.ofByteArray(), false).body();

        try (Browser customer = new Browser()) {
            var d = customer.driver;
            d.get("http://127.0.0.2:" + allowedPortal.port() + "/portal?src=" + enc(shareUrl));
            d.switchTo().frame("call");
            List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), messages));
            arrows.get(0).click();
            String firstLine = JSON.readTree(shared.body()).get("messages").get(0).get("raw").asText().split("\r\n", 2)[0];
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), firstLine));
            // the default view of homer-api: the side that placed the call in clear, the other hosts masked and named
            JsonNode about = JSON.readTree(get("/api/v1/shared/" + shareToken + "/about", HttpResponse.BodyHandlers.ofString(), false).body());
            List<String> clear = new ArrayList<>();
            about.get("view").get("hosts").forEach(h -> clear.add(h.asText()));
            assertThat(clear).hasSize(1);
            String ladder = d.findElement(By.cssSelector("svg.ladder")).getText();
            JSON.readTree(shared.body()).get("hosts").forEach(h -> {
                if (clear.contains(h.get("ip").asText())) {
                    assertThat(h.get("alias").isNull()).as("a clear host's alias is hidden").isTrue();
                } else {
                    assertThat(h.get("ip").asText()).startsWith("192.0.2.");
                    assertThat(h.get("alias").asText()).matches("host [A-Z]+");
                    assertThat(ladder).contains(h.get("alias").asText());
                }
            });
            assertThat(d.findElement(By.id("embed-about")).getText()).startsWith("Shared by ")
                    .endsWith("Addresses of hosts other than yours are masked (host A, host B…).");
            assertThat(d.findElements(By.id("username"))).isEmpty();
            d.findElement(By.id("download-pcap")).click();
            assertThat(Files.readAllBytes(UiBrowserIT.awaitDownload(customer.downloads, Duration.ofSeconds(30)))).isEqualTo(sharedPcap);
            assertThat(customer.cspViolations()).isEmpty();
            d.switchTo().defaultContent();
            customer.screenshot("real-embed");
        }
    }

    @Test
    @Order(5)
    void rendersTheAttackersSipAsText() {
        JsonNode flow = apiJson(callPath(XSS_CALL) + "/flow?" + range());
        int messages = flow.get("messages").size();
        assertThat(messages).isEqualTo(3);

        var d = engineer.driver;
        d.get(base + "/call/" + enc(XSS_CALL).replace("+", "%20") + "?" + range());
        List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), messages));
        arrows.get(0).click();
        WebElement detail = waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail pre.sip")));
        String text = (String) ((JavascriptExecutor) d).executeScript("return arguments[0].textContent", detail);
        assertThat(text)
                .contains("From: \"" + IMG + "\"")
                .contains("X-Note: " + SCRIPT)
                .contains("Contact: <" + JS_CONTACT + ">")
                .contains(SVG);
        arrows.get(1).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "<b onmouseover=alert(1)>Not Acceptable</b>"));

        assertThat(d.findElements(By.cssSelector("main img, main svg svg, main circle, main b, main script, a[href^='javascript:']"))).isEmpty();
        assertThat(d.findElements(By.cssSelector("script"))).hasSize(1);
        assertThat(engineer.alerts()).isEmpty();
        assertThatThrownBy(() -> d.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(engineer.cspViolations()).isEmpty();

        // The search lists it as text too.
        d.get(base + "/?view=messages&range=custom&" + range() + "&callId=" + enc(XSS_CALL));
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages-table tbody tr"), messages));
        assertThat(d.findElements(By.cssSelector("main img, main script, main b, main circle"))).isEmpty();
        assertThat(engineer.alerts()).isEmpty();
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(6)
    void createsAUserAnAliasAndATokenThroughTheAdminPagesAndTheLadderNamesTheHost() {
        JsonNode flow = apiJson(callPath(basicCall) + "/flow?" + range());
        String ip = flow.get("hosts").get(0).get("ip").asText();
        String alias = "edge " + IMG;

        var d = engineer.driver;
        d.get(base + "/admin/users");
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#users-table tr[data-key=admin]")));
        d.findElement(By.id("user-name")).sendKeys("carol.real");
        d.findElement(By.id("user-password")).sendKeys("carol-real-password");
        new Select(d.findElement(By.id("user-role"))).selectByValue("user");
        int loads = UiBrowserIT.loads(d);
        d.findElement(By.id("user-create")).click();
        UiBrowserIT.awaitReload(d, loads);
        // the reload counted may be the page's first load, finished after loads() was read: wait for the row
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#users-table tr[data-key='carol.real']"), 1));
        assertThat(apiJson("/api/v1/users").get("items").findValuesAsText("username")).contains("carol.real");
        assertThat(apiJson("/api/v1/users").get("items")).filteredOn(u -> u.get("username").asText().equals("carol.real"))
                .singleElement().satisfies(u -> assertThat(u.get("role").asText()).isEqualTo("user"));
        // homer-api refuses markup in a user name: its message is shown next to the form, as text.
        d.findElement(By.id("user-name")).sendKeys(IMG);
        d.findElement(By.id("user-password")).sendKeys("carol-real-password", Keys.ENTER);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".form-error [role=alert]"), "username"));
        UiBrowserIT.assertNoMarkup(engineer);

        d.findElement(By.linkText("Host aliases")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("alias-ip"))).sendKeys(ip);
        loads = UiBrowserIT.loads(d);
        d.findElement(By.id("alias-name")).sendKeys(alias, Keys.ENTER);
        UiBrowserIT.awaitReload(d, loads);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#aliases-table td.name"), alias));
        assertThat(d.findElement(By.cssSelector("#aliases-table td.name")).getText()).isEqualTo(alias);
        assertThat(apiJson("/api/v1/aliases").get("items").findValuesAsText("alias")).containsExactly(alias);
        engineer.screenshot("real-admin-aliases");

        d.findElement(By.linkText("API tokens")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("token-name"))).sendKeys(IMG, Keys.ENTER);
        WebElement token = waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("token-value")));
        assertThat(token.getAttribute("value")).startsWith("hsk_");
        waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("#tokens-table td.name"), IMG));
        assertThat(apiJson("/api/v1/tokens").get("items").findValuesAsText("name")).containsExactly(IMG);
        d.findElement(By.cssSelector("#tokens-table button.danger")).click();
        loads = UiBrowserIT.loads(d);
        d.findElement(By.cssSelector("#tokens-table button.confirm")).click();
        UiBrowserIT.awaitReload(d, loads);
        assertThat(apiJson("/api/v1/tokens").get("items")).isEmpty();
        UiBrowserIT.assertNoMarkup(engineer);

        // The stored call's ladder names the host by its alias.
        d.get(base + "/call/" + enc(basicCall).replace("+", "%20") + "?" + range());
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), flow.get("messages").size()));
        // Column titles longer than 24 characters are cut; the full alias is the column's tooltip.
        assertThat(d.findElements(By.cssSelector("svg.ladder .host-name"))).extracting(WebElement::getText).contains(alias.substring(0, 23) + "…");
        @SuppressWarnings("unchecked")
        List<String> tooltips = (List<String>) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('svg.ladder title')].map(t => t.textContent)");
        assertThat(tooltips).anyMatch(t -> t.startsWith(alias + " — " + ip));
        UiBrowserIT.assertNoMarkup(engineer);
    }

    @Test
    @Order(7)
    void revokesTheShareLinkFromTheAdminPageAndTheEmbedRefusesIt() {
        var d = engineer.driver;
        d.get(base + "/admin/shares");
        By row = By.cssSelector("#shares-table tbody tr");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(row, 1));
        assertThat(d.findElement(row).getText()).contains(basicCall);
        d.findElement(row).findElement(By.cssSelector("button.danger")).click();
        int loads = UiBrowserIT.loads(d);
        d.findElement(row).findElement(By.cssSelector("button.confirm")).click();
        UiBrowserIT.awaitReload(d, loads);
        assertThat(d.findElements(row)).isEmpty();
        assertThat(apiJson("/api/v1/shares").get("items")).isEmpty();
        assertThat(get("/api/v1/shared/" + shareToken + "/flow", HttpResponse.BodyHandlers.ofString(), false).statusCode()).isEqualTo(404);

        try (Browser customer = new Browser()) {
            var c = customer.driver;
            c.get("http://127.0.0.2:" + allowedPortal.port() + "/portal?src=" + enc(shareUrl));
            c.switchTo().frame("call");
            waiting(c).until(ExpectedConditions.textToBePresentInElementLocated(By.id("embed-gone"), "This link is no longer valid"));
            assertThat(c.findElements(By.cssSelector("svg.ladder"))).isEmpty();
        }
    }

    // ---- live view and dashboard ----

    @Test
    @Order(8)
    void liveViewGroupsNewlyStoredMessagesByCallAndPauses() throws IOException {
        var d = engineer.driver;
        d.get(base + "/live");
        awaitLive(d);
        long now = nowMicros();
        String callA = "live-a-" + now + "@real.example";
        List<CapturedMessage> a = liveCall(callA, "alice", "bob", now, 200);
        storeNow(a);

        // One row per Call-ID, updated as its messages arrive.
        By row = By.cssSelector("#live-calls tr[data-call-id='" + callA + "']");
        waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("#live-calls tr[data-call-id='" + callA + "'] td.msgs"), String.valueOf(a.size())));
        WebElement r = d.findElement(row);
        assertThat(r.findElement(By.cssSelector("td.status")).getText()).isEqualTo("200");
        assertThat(r.findElement(By.cssSelector("td.from")).getText()).isEqualTo("alice");
        assertThat(r.findElement(By.cssSelector("td.to")).getText()).isEqualTo("bob");
        JsonNode stored = apiJson("/api/v1/messages?callId=" + enc(callA) + "&" + liveRange(now));
        assertThat(stored.get("items")).hasSize(a.size());

        // Paused: stored messages are counted, not drawn; Resume draws them.
        d.findElement(By.id("live-pause")).click();
        String callB = "live-b-" + now + "@real.example";
        List<CapturedMessage> b = liveCall(callB, "carol", "dave", now + 1_000_000, 486);
        storeNow(b);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-count"), b.size() + " new while paused"));
        assertThat(d.findElements(By.cssSelector("#live-calls tr[data-call-id='" + callB + "']"))).isEmpty();
        d.findElement(By.id("live-pause")).click();
        WebElement rb = waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-calls tr[data-call-id='" + callB + "']")));
        assertThat(rb.findElement(By.cssSelector("td.msgs")).getText()).isEqualTo(String.valueOf(b.size()));
        assertThat(rb.findElement(By.cssSelector("td.status")).getText()).isEqualTo("486");
        // Newest call first.
        assertThat(d.findElement(By.cssSelector("#live-calls tbody tr:first-child")).getAttribute("data-call-id")).isEqualTo(callB);
        assertThat(d.findElement(By.id("live-count")).getText()).isEqualTo((a.size() + b.size()) + " received · 2 calls");
        engineer.screenshot("real-live");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(9)
    void liveViewFilteredByMethodShowsOnlyMatchingMessages() throws IOException {
        var d = engineer.driver;
        d.get(base + "/live?view=messages&method=INVITE");
        awaitLive(d);
        assertThat(d.findElement(By.id("l-method")).getAttribute("value")).isEqualTo("INVITE");
        long now = nowMicros();
        String options = "live-options-" + now + "@real.example";
        // Stored (and so streamed, in row-id order) before the matching call: had it passed the filter,
        // it would show before the call's messages do.
        storeNow(List.of(sip(now, "OPTIONS sip:ping@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-o1\r\n"
                + "From: <sip:monitor@198.51.100.7>;tag=o1\r\nTo: <sip:ping@192.0.2.10>\r\nCall-ID: " + options
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", "198.51.100.7", "192.0.2.10", "live-node")));
        String callC = "live-c-" + now + "@real.example";
        storeNow(liveCall(callC, "erin", "frank", now + 1_000_000, 200));
        int invites = apiJson("/api/v1/messages?method=INVITE&callId=" + enc(callC) + "&" + liveRange(now)).get("items").size();
        assertThat(invites).isGreaterThanOrEqualTo(1);

        List<WebElement> rows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#live-messages tbody tr"), invites));
        assertThat(rows).allSatisfy(row -> assertThat(row.getText()).contains(callC).doesNotContain(options));
        assertThat(d.findElement(By.id("live-messages")).getText()).doesNotContain(options);
        assertThat(d.findElements(By.cssSelector("#live-calls tbody tr"))).extracting(e -> e.getAttribute("data-call-id")).containsExactly(callC);
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(10)
    void liveViewWaitsWhileHomerApiRefusesAStreamAndResumes() throws Exception {
        // Take the replica's only stream (once the browser's last live page has let it go): the browser's
        // request then gets 429 and the page says it reconnects.
        engineer.driver.get(base + "/");
        HttpResponse<InputStream> held = null;
        for (int attempt = 0; attempt < 60 && held == null; attempt++) {
            HttpResponse<InputStream> r = get("/api/v1/stream/messages", HttpResponse.BodyHandlers.ofInputStream(), true);
            if (r.statusCode() == 200) {
                held = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                r.body().close();
                Thread.sleep(500);
            }
        }
        assertThat(held).as("the browser's stream released within 30 s").isNotNull();
        try (InputStream in = held.body()) {
            assertThat(new String(in.readNBytes(5), StandardCharsets.UTF_8)).isEqualTo(":open");
            var d = engineer.driver;
            d.get(base + "/live");
            waiting(d).until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "reconnecting"));
            assertThat(d.findElement(By.id("live-status")).getText()).contains("too many live streams");
            assertThat(get("/api/v1/stream/messages", HttpResponse.BodyHandlers.ofString(), true).statusCode()).isEqualTo(429);
        }
        // Released: the page connects on one of its next tries, and streams.
        var d = engineer.driver;
        new WebDriverWait(d, Duration.ofSeconds(90)).until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "live"));
        assertThat(Integer.parseInt(d.findElement(By.cssSelector(".live")).getAttribute("data-reconnects"))).isGreaterThanOrEqualTo(1);
        long now = nowMicros();
        String callD = "live-d-" + now + "@real.example";
        storeNow(liveCall(callD, "grace", "heidi", now, 200));
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-calls tr[data-call-id='" + callD + "']")));
        assertThat(d.findElements(By.cssSelector(".live-errors [role=alert]"))).isEmpty();
    }

    @Test
    @Order(11)
    void dashboardShowsTheTotalsTheApiComputesForTheFixturesRange() {
        JsonNode kpi = apiJson("/api/v1/stats/kpi?" + range());
        JsonNode total = kpi.get("total");
        assertThat(total.get("invites").asInt()).as("calls of the fixture").isGreaterThanOrEqualTo(40);
        assertThat(total.get("ahr").asDouble()).as("the capture hops of their INVITEs, from their records").isGreaterThanOrEqualTo(1);

        var d = engineer.driver;
        d.get(base + "/dashboard?range=custom&" + range());
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dashboard figure.chart canvas"), 4));
        assertThat(tile(d, "calls")).isEqualTo(String.valueOf(total.get("invites").asInt()));
        assertThat(tile(d, "answered")).isEqualTo(String.valueOf(total.get("answered").asInt()));
        assertThat(tile(d, "ahr")).as("AHR").isNotEqualTo("—");
        for (String ratio : List.of("asr", "ner", "sd", "isa")) {
            assertThat(tile(d, ratio)).as(ratio).isEqualTo(percent(total.get(ratio)));
        }
        List<String> mix = new ArrayList<>();
        total.get("finalStatus").fields().forEachRemaining(e -> mix.add(e.getKey() + " " + e.getValue().asInt()));
        assertThat(d.findElements(By.cssSelector("#tile-status li"))).extracting(WebElement::getText).containsExactlyInAnyOrderElementsOf(mix);
        // Every chart has its uPlot legend, one series per line plus time, and one table row per bucket.
        assertThat(d.findElements(By.cssSelector("#dashboard figure.chart .u-legend"))).hasSize(4);
        int buckets = kpi.get("series").size();
        assertThat(d.findElements(By.cssSelector("#chart-calls table.data tbody tr"))).hasSize(buckets);
        assertThat(d.findElements(By.cssSelector("#dashboard .error, #dashboard [role=alert]"))).isEmpty();
        engineer.screenshot("real-dashboard");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(12)
    void createsATenantAndAUserInItThroughTheAdminPages() {
        var d = engineer.driver;
        d.get(base + "/admin/tenants");
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".admin-list[data-loads='1']")));
        d.findElement(By.id("tenant-name")).sendKeys("acme-real");
        d.findElement(By.id("tenant-nodes")).sendKeys("kamailio-1,\nkamailio-2");
        d.findElement(By.id("tenant-networks")).sendKeys("10.1.0.1/16");
        d.findElement(By.id("tenant-create")).click();
        // homer-api's 400 for host bits set, next to the form; nothing created
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".form-error [role=alert]"), "has host bits set (the network is 10.1.0.0/16)"));
        assertThat(apiJson("/api/v1/tenants").get("items")).isEmpty();
        d.findElement(By.id("tenant-networks")).clear();
        d.findElement(By.id("tenant-networks")).sendKeys("10.1.0.0/16, 2001:db8::/32");
        d.findElement(By.id("tenant-create")).click();
        By row = By.cssSelector("#tenants-table tr[data-key='acme-real']");
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(row));
        JsonNode tenant = apiJson("/api/v1/tenants").get("items").get(0);
        assertThat(tenant.get("name").asText()).isEqualTo("acme-real");
        assertThat(JSON.convertValue(tenant.get("nodes"), List.class)).containsExactly("kamailio-1", "kamailio-2");
        assertThat(JSON.convertValue(tenant.get("networks"), List.class)).containsExactly("10.1.0.0/16", "2001:db8::/32");

        d.findElement(By.linkText("Users")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#user-tenant option[value='acme-real']")));
        d.findElement(By.id("user-name")).sendKeys("dana.real");
        d.findElement(By.id("user-password")).sendKeys("dana-real-password");
        new Select(d.findElement(By.id("user-role"))).selectByValue("viewer");
        new Select(d.findElement(By.id("user-tenant"))).selectByValue("acme-real");
        d.findElement(By.id("user-create")).click();
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#users-table tr[data-key='dana.real']"), 1));
        assertThat(apiJson("/api/v1/users").get("items")).filteredOn(u -> u.get("username").asText().equals("dana.real"))
                .singleElement().satisfies(u -> assertThat(u.get("tenant").asText()).isEqualTo("acme-real"));

        // In use: homer-api's 409 is shown and the tenant stays.
        d.findElement(By.linkText("Tenants")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(row, "account dana.real"));
        d.findElement(row).findElement(By.cssSelector("button.danger")).click();
        d.findElement(row).findElement(By.cssSelector("button.confirm")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".table-status [role=alert]"), "still assigned"));
        assertThat(apiJson("/api/v1/tenants").get("items")).hasSize(1);
        engineer.screenshot("real-admin-tenants");
        UiBrowserIT.assertNoMarkup(engineer);
    }

    static String tile(WebDriver d, String id) {
        return d.findElement(By.cssSelector("#tile-" + id + " .tile-value")).getText();
    }

    /** The dashboard's text of a ratio: "66.7 %", or "—" when the API has none. */
    static String percent(JsonNode ratio) {
        return ratio == null || ratio.isNull() ? "—" : String.format(java.util.Locale.ROOT, "%.1f %%", ratio.asDouble() * 100);
    }

    /**
     * The real session cookie: a new tab is logged in; its logout (a state-changing request through homer-ui's proxy,
     * so with the CSRF token) ends the session in homer-api, where the old cookie is refused from then on.
     */
    @Test
    @Order(13)
    void aNewTabSharesTheSessionAndItsLogoutEndsItInHomerApi() throws Exception {
        var d = engineer.driver;
        String first = d.getWindowHandle();
        d.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        try {
            d.get(base + "/dashboard");
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.logout")));
            d.get(base + "/api/v1/auth/me"); // the session cookie's path: WebDriver shows it here
            String session = d.manage().getCookieNamed("hepstack_session").getValue();
            assertThat(meWithCookie(session)).isEqualTo(200);
            d.get(base + "/dashboard");
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.logout"))).click();
            waiting(d).until(ExpectedConditions.urlContains("/login"));
            assertThat(meWithCookie(session)).isEqualTo(401);
        } finally {
            d.close();
            d.switchTo().window(first);
        }
    }

    private static int meWithCookie(String session) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/auth/me")).header("Cookie", "hepstack_session=" + session)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void awaitLive(WebDriver d) {
        waiting(d).until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "live"));
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    static String liveRange(long micros) {
        return "from=" + enc(instant(micros - 60_000_000L).toString()) + "&to=" + enc(instant(micros + 120_000_000L).toString());
    }

    /** Stores rows captured now, as the collector does (the receive clock is now). */
    static void storeNow(List<CapturedMessage> rows) {
        WriteResult result = new MessageWriter(db.connectionFactory(), PartitionPolicy.defaults(), Clock.systemUTC()).write(rows).block();
        assertThat(result).isNotNull();
        assertThat(result.rejected()).isEmpty();
    }

    /** INVITE, 100, 180, final reply, ACK; and BYE/200 when answered. */
    static List<CapturedMessage> liveCall(String callId, String from, String to, long t, int status) throws IOException {
        String caller = "198.51.100.20";
        String callee = "192.0.2.30";
        String dialog = "From: <sip:" + from + "@" + caller + ">;tag=f1\r\nCall-ID: " + callId + "\r\n";
        String toNoTag = "To: <sip:" + to + "@" + callee + ">\r\n";
        String toTag = "To: <sip:" + to + "@" + callee + ">;tag=t1\r\n";
        String via = "Via: SIP/2.0/UDP " + caller + ":5060;branch=z9hG4bK-" + Long.toHexString(t) + "\r\n";
        String end = "Content-Length: 0\r\n\r\n";
        List<CapturedMessage> rows = new ArrayList<>();
        rows.add(sip(t, "INVITE sip:" + to + "@" + callee + " SIP/2.0\r\n" + via + dialog + toNoTag + "CSeq: 1 INVITE\r\n" + end, caller, callee, "live-node"));
        rows.add(sip(t + 10_000, "SIP/2.0 100 Trying\r\n" + via + dialog + toNoTag + "CSeq: 1 INVITE\r\n" + end, callee, caller, "live-node"));
        rows.add(sip(t + 20_000, "SIP/2.0 180 Ringing\r\n" + via + dialog + toTag + "CSeq: 1 INVITE\r\n" + end, callee, caller, "live-node"));
        String reason = status == 200 ? "OK" : "Busy Here";
        rows.add(sip(t + 30_000, "SIP/2.0 " + status + " " + reason + "\r\n" + via + dialog + toTag + "CSeq: 1 INVITE\r\n" + end, callee, caller, "live-node"));
        rows.add(sip(t + 40_000, "ACK sip:" + to + "@" + callee + " SIP/2.0\r\n" + via + dialog + toTag + "CSeq: 1 ACK\r\n" + end, caller, callee, "live-node"));
        if (status == 200) {
            rows.add(sip(t + 50_000, "BYE sip:" + to + "@" + callee + " SIP/2.0\r\n" + via + dialog + toTag + "CSeq: 2 BYE\r\n" + end, caller, callee, "live-node"));
            rows.add(sip(t + 60_000, "SIP/2.0 200 OK\r\n" + via + dialog + toTag + "CSeq: 2 BYE\r\n" + end, callee, caller, "live-node"));
        }
        return rows;
    }
}
