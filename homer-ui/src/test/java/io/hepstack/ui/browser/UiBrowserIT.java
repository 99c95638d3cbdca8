package io.hepstack.ui.browser;

import io.hepstack.ui.HomerUiApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The UI in Debian's headless Chromium against homer-ui on port 0, which proxies to the FAKE homer-api
 * ({@link FakeHomerApi}), for cases the real data lacks; {@link RealStackBrowserIT} runs against the real one. Customer portals are two tiny servers: one on an
 * allowed origin (127.0.0.2), one on an origin that is not allowed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiBrowserIT {

    static FakeHomerApi api;
    static DisposableServer allowedPortal;
    static DisposableServer otherPortal;
    static ConfigurableApplicationContext ui;
    static String base;
    static Browser engineer;
    static String shareUrl;

    @BeforeAll
    static void start() {
        api = new FakeHomerApi();
        allowedPortal = portal("127.0.0.2");
        otherPortal = portal("127.0.0.1");
        ui = new SpringApplicationBuilder(HomerUiApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--homer.ui.api-url=" + api.baseUrl(),
                "--homer.ui.embed.allowed-origins=http://127.0.0.2:" + allowedPortal.port());
        base = "http://127.0.0.1:" + ui.getEnvironment().getProperty("local.server.port");
        engineer = new Browser();
    }

    @AfterAll
    static void stop() {
        if (engineer != null) engineer.close();
        if (ui != null) ui.close();
        Stream.of(allowedPortal, otherPortal).filter(s -> s != null).forEach(DisposableServer::disposeNow);
        if (api != null) api.close();
    }

    /** A customer page framing the URL in ?src (escaped into the attribute), 1300 px wide unless ?width says. */
    static DisposableServer portal(String host) {
        return HttpServer.create().host(host).port(0)
                .route(r -> r.get("/portal", (req, res) -> {
                    var query = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters();
                    String src = query.get("src").get(0);
                    int width = query.containsKey("width") ? Integer.parseInt(query.get("width").get(0)) : 1300;
                    String html = "<!doctype html><html><head><title>Customer portal</title></head><body>"
                            + "<h1 style=\"font:16px sans-serif\">Customer portal (" + host + ")</h1>"
                            + "<iframe id=\"call\" width=\"" + width + "\" height=\"860\""
                            + (new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters().containsKey("noreferrer")
                                    ? " referrerpolicy=\"no-referrer\"" : "") + " src=\""
                            + src.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;") + "\"></iframe></body></html>";
                    return res.header("Content-Type", "text/html; charset=utf-8").sendString(Mono.just(html));
                }))
                .bindNow();
    }

    static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @Test
    @Order(1)
    void logsInAndSearchesCalls() {
        var d = engineer.driver;
        d.get(base + "/");
        waiting(d).until(ExpectedConditions.urlContains("/login"));
        d.findElement(By.id("username")).sendKeys(FakeHomerApi.USER);
        d.findElement(By.id("password")).sendKeys("wrong");
        d.findElement(By.id("login-button")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=alert]"), "wrong user name or password"));
        assertAccessible(engineer, "login");
        // the check sees a violation: an input without a label (axe rule "label", critical)
        js(d, "const i = document.createElement('input'); i.id = 'axe-probe'; document.body.appendChild(i);");
        assertThat(engineer.accessibilityViolations()).anyMatch(v -> v.startsWith("label: #axe-probe"));
        js(d, "document.getElementById('axe-probe').remove();");
        d.findElement(By.id("password")).sendKeys(FakeHomerApi.PASSWORD, Keys.ENTER);

        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("search-button")));
        // The form is the API's (GET /api/v1/meta/search): every field of the message search and of the call list in
        // its order, its syntax as the tooltip, "(messages)" on the fields the call list does not take, "(calls)" on
        // those only the call list takes (a call record's: state, who hung up, durations).
        List<String> formFields = new java.util.ArrayList<>(api.searchParams("messages"));
        api.searchParams("calls").stream().filter(p -> !formFields.contains(p)).forEach(formFields::add);
        assertThat(formFields).contains("state", "duration");
        assertThat(d.findElements(By.cssSelector("form.search .grid input")).stream().map(e -> e.getAttribute("name")).toList())
                .isEqualTo(formFields);
        // A filter the call list does not take is disabled, its tooltip says why; Messages enables it (and its syntax).
        assertThat(d.findElement(By.id("f-protoType")).isEnabled()).isFalse();
        assertThat(d.findElement(By.id("f-protoType")).getAttribute("title")).isEqualTo("Not taken by the call list: show Messages to use it");
        assertThat(d.findElement(By.id("f-duration")).getAttribute("title")).isEqualTo(api.searchSyntax("duration"));
        d.findElement(By.cssSelector("input[name=view][value=messages]")).click();
        assertThat(d.findElement(By.id("f-protoType")).isEnabled()).isTrue();
        assertThat(d.findElement(By.id("f-protoType")).getAttribute("title")).isEqualTo(api.searchSyntax("protoType"));
        assertThat(d.findElement(By.id("f-duration")).isEnabled()).isFalse();
        d.findElement(By.id("f-protoType")).sendKeys("1");
        d.findElement(By.cssSelector("input[name=view][value=calls]")).click();
        for (String param : formFields) {
            boolean calls = api.searchParams("calls").contains(param);
            boolean messages = api.searchParams("messages").contains(param);
            assertThat(d.findElement(By.cssSelector("label[for=f-" + param + "]")).getText()).as(param)
                    .endsWith(calls && messages ? "" : calls ? "(calls)" : "(messages)");
        }
        d.findElement(By.id("f-fromUser")).sendKeys("alice");
        d.findElement(By.id("search-button")).click();
        waiting(d).until(ExpectedConditions.urlContains("fromUser=alice"));
        // the disabled filter was neither sent nor kept in the URL
        assertThat(d.getCurrentUrl()).doesNotContain("protoType");
        List<WebElement> rows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), 2));
        assertThat(d.getCurrentUrl()).contains("view=calls").contains("range=1h");
        // newest first, as the API lists them: the crafted call a minute after alice's on top
        assertThat(rows.get(1).getText()).contains("alice");
        // Each call's result from its record: in words, who ended it, the Q.850 cause.
        assertThat(d.findElements(By.cssSelector("#calls-table tbody td.result"))).extracting(WebElement::getText)
                .contains("completed, by caller, cause 16");
        // ... and its media: the MOS graded, the verdicts named (a call without reports has nothing to say)
        assertThat(d.findElements(By.cssSelector("#calls-table tbody td.media"))).extracting(WebElement::getText)
                .containsExactlyInAnyOrder("3.42 · Packet loss", "");
        assertThat(d.findElement(By.cssSelector("#calls-table tbody td.media .mos")).getAttribute("class")).contains("poor");
        // no value wrapped mid-token: one line each, a long one cut with its whole value in the title
        WebElement callIdCell = d.findElement(By.cssSelector("#calls-table tbody td.mono"));
        assertThat(callIdCell.getCssValue("white-space")).isEqualTo("nowrap");
        assertThat(callIdCell.getCssValue("text-overflow")).isEqualTo("ellipsis");
        assertThat(callIdCell.getAttribute("title")).isEqualTo(callIdCell.findElement(By.tagName("a")).getAttribute("textContent"));

        // Sorting is part of the URL too, and the API sorts (every call of the list, not the page).
        d.findElement(By.xpath("//th/button[contains(., 'Status')]")).click();
        waiting(d).until(ExpectedConditions.urlContains("sort=finalStatus"));
        waiting(d).until(d2 -> api.lastCallsQuery != null && api.lastCallsQuery.contains("sort=finalStatus&order=asc"));
        waiting(d).until(ExpectedConditions.attributeContains(By.cssSelector("#calls-table tbody tr:first-child"), "class", "st-2xx"));
        engineer.screenshot("search");
        assertAccessible(engineer, "search");

        // An old link with a filter the call list does not take says so instead of ignoring it silently.
        d.get(base + "/?view=calls&range=1h&method=INVITE");
        waiting(d).until(ExpectedConditions.textToBe(By.id("ignored-filters"), "Not applied to the call list: Method = INVITE."));

                // A bookmarked search reproduces the page.
        d.get(base + "/?view=messages&range=24h");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#messages-table tbody tr"), api.totalMessages()));
        assertThat(d.findElement(By.id("range")).getAttribute("value")).isEqualTo("24h");
        d.findElement(By.cssSelector("#messages-table tbody tr:first-child td:first-child button")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message-detail"), "INVITE sip:bob@192.0.2.20 SIP/2.0"));
        // the message opens directly under its row, not after the table: under the first, then under the third
        assertThat(js(d, "return document.getElementById('message-detail').closest('tr').previousElementSibling"
                + " === document.querySelector('#messages-table tbody tr:first-child')")).isEqualTo(true);
        WebElement third = d.findElements(By.cssSelector("#messages-table tbody tr:not(.detail-row)")).get(2);
        third.findElement(By.cssSelector("td:first-child button")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message-detail"), "INVITE sip:bob@192.0.2.30 SIP/2.0"));
        assertThat(js(d, "return document.getElementById('message-detail').closest('tr').previousElementSibling === arguments[0]", third)).isEqualTo(true);
        assertThat(d.findElements(By.id("message-detail"))).hasSize(1);

        // Any SIP header: the input takes "NAME: value", the URL and the API carry header.NAME=value (the form, folded
        // after a search, opened from its summary).
        d.findElement(By.id("search-summary")).click();
        WebElement header = d.findElement(By.id("f-header"));
        assertThat(header.getAttribute("placeholder")).isEqualTo("X-Customer-Id: acme*");
        header.sendKeys("X-Customer-Id: acme*");
        d.findElement(By.id("search-button")).click();
        waiting(d).until(ExpectedConditions.urlContains("header.X-Customer-Id=acme"));
        waiting(d).until(d2 -> api.lastMessagesQuery != null && api.lastMessagesQuery.contains("header.X-Customer-Id=acme*"));
        assertThat(d.findElement(By.id("f-header")).getAttribute("value")).isEqualTo("X-Customer-Id: acme*");
        // a field of a JSON payload the same way: json.PATH=value
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.id("search-summary"))).click();
        WebElement json = d.findElement(By.id("f-json"));
        assertThat(json.getAttribute("placeholder")).isEqualTo("stats.mos: <3.5");
        // its suggestions: the paths of the stored JSON payloads (GET /api/v1/meta/json-fields), asked on focus
        json.click();
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("datalist#json-paths option"), 2));
        assertThat(d.findElements(By.cssSelector("datalist#json-paths option"))).extracting(o -> o.getAttribute("value"))
                .containsExactly("level: ", "stats.mos: ");
        assertThat(d.findElement(By.cssSelector("datalist#json-paths option[value='stats.mos: ']")).getAttribute("textContent"))
                .isEqualTo("number · payload type 100 · in 12 of 40 sampled");
        json.sendKeys("stats.mos: <3.5");
        d.findElement(By.id("search-button")).click();
        waiting(d).until(d2 -> api.lastMessagesQuery != null && api.lastMessagesQuery.contains("json.stats.mos=<3.5"));
        assertThat(d.findElement(By.id("f-json")).getAttribute("value")).isEqualTo("stats.mos: <3.5");
    }

    @Test
    @Order(2)
    void opensACallAndDrawsOneArrowPerMessage() {
        var d = engineer.driver;
        d.get(base + "/?view=calls&range=1h");
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText(FakeHomerApi.CALL))).click();
        List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("svg.ladder g.arrow"), api.messageCount(FakeHomerApi.CALL)));
        assertThat(d.findElements(By.cssSelector("svg.ladder g.arrow.retrans"))).hasSize(1);
        assertThat(d.findElements(By.cssSelector("svg.ladder .host-name"))).extracting(WebElement::getText)
                .containsExactly("alice-phone", "kamailio-edge", "bob-pbx");
        assertThat(arrows).extracting(a -> a.findElement(By.cssSelector("text.label")).getText())
                .startsWith("INVITE", "100 Trying", "INVITE", "INVITE (retransmission 1)", "180 Ringing");
        assertThat(d.findElements(By.cssSelector(".legs li"))).hasSize(2);
        // The call's record above the ladder, in words.
        assertThat(d.findElement(By.id("call-record")).getText()).contains("Completed: the caller ended it",
                "Q.850 cause 16 — Normal call clearing", "\"Alice\" alice → bob", "120 ms", "2.3 s", "61.0 s", "PCMA/8000",
                "9, 1 retransmitted", "3.42 · Packet loss (worst stream: loss 6.4 %, jitter 18 ms, round trip 85 ms; 12 reports)");

        // Keyboard: focus the first arrow, Enter opens it, ArrowDown moves on.
        arrows.get(0).sendKeys(Keys.ENTER);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "INVITE sip:bob@192.0.2.20 SIP/2.0"));
        assertThat(d.findElements(By.cssSelector("#detail .hn.hk"))).extracting(WebElement::getText).contains("Call-ID", "CSeq", "Via");
        // The HEP payload type by name, its number on hover.
        WebElement type = d.findElement(By.cssSelector("#detail abbr.hep-type"));
        assertThat(type.getText()).isEqualTo("SIP");
        assertThat(type.getAttribute("title")).isEqualTo("HEP payload type 1");
        // A header's value searches the messages with the same value, an hour either side: by its own field where
        // there is one (From: its user), else as header.NAME
        WebElement from = d.findElement(By.xpath("//aside[@id='detail']//a[contains(@class,'search-value')][contains(., 'alice@example.com')]"));
        assertThat(from.getAttribute("title")).isEqualTo("Search messages with this From");
        assertThat(java.net.URLDecoder.decode(from.getAttribute("href"), java.nio.charset.StandardCharsets.UTF_8))
                .contains("view=messages", "range=custom", "fromUser=alice");
        WebElement forwards = d.findElement(By.xpath("//aside[@id='detail']//a[contains(@class,'search-value')][.='70']"));
        assertThat(java.net.URLDecoder.decode(forwards.getAttribute("href"), java.nio.charset.StandardCharsets.UTF_8))
                .contains("header.Max-Forwards=70");
        arrows.get(0).sendKeys(Keys.ARROW_DOWN);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "SIP/2.0 100 Trying"));
        // The PBX's clock is 3 h 12 min behind (issue 20): its arrows and its messages say so, the others do not.
        assertThat(arrows.get(4).getAttribute("aria-label")).contains("180 Ringing", "agent clock 3 h 12 min behind");
        assertThat(arrows.get(4).findElement(By.cssSelector("text.ts")).getAttribute("class")).contains("skewed");
        assertThat(arrows.get(1).getAttribute("aria-label")).doesNotContain("agent clock");
        arrows.get(6).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail .clock-note"),
                "agent clock 3 h 12 min behind"));
        arrows.get(7).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "SIP/2.0 200 OK"));
        assertThat(d.findElements(By.cssSelector("#detail .clock-note"))).isEmpty();
        engineer.screenshot("ladder");
        assertAccessible(engineer, "call flow");

        d.findElement(By.id("tab-qos")).click();
        // the diagnosis first, in words, then one row per stream
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#panel-qos .verdict.high_jitter"),
                "Jitter: 192.0.2.30:50001 → 192.0.2.10:40001: jitter up to 60 ms (above 50 ms)"));
        assertThat(d.findElement(By.cssSelector("#panel-qos .qos-diagnosis .hint")).getText())
                .isEqualTo("Rated as PCMA (the SDP answer\u2019s codec) with the ITU-T G.107 E-model, from 6 media reports.");
        assertThat(d.findElements(By.cssSelector("#panel-qos table.streams tbody td"))).extracting(WebElement::getText)
                .containsExactly("192.0.2.30:50001 → 192.0.2.10:40001", "6", "1246 / 1250", "0.4 / 0.8", "7.3 / 60.0", "–",
                        "4.21 / 3.98", "–");
        // the rated figures charted per stream with the verdicts' thresholds (no round trip: no report had one)
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#panel-qos figure.chart canvas"), 3));
        assertThat(d.findElements(By.cssSelector("#panel-qos figcaption"))).extracting(WebElement::getText)
                .containsExactly("Loss (%)", "Jitter (ms)", "MOS (E-model, 1 to 4.5)");
        assertThat(legend(d, "qos-chart-jitter")).containsExactly("192.0.2.30:50001 → 192.0.2.10:40001", "high jitter above 50 ms");
        assertThat(legend(d, "qos-chart-mos")).containsExactly("192.0.2.30:50001 → 192.0.2.10:40001", "poor below 3.6");
        // the hold re-INVITE at 20 s, where the media may have moved, marked on the charts and named below them
        assertThat(d.findElement(By.cssSelector("#panel-qos .chart-marks")).getText())
                .startsWith("Dotted lines: re-INVITE (SDP PCMU sendonly) at ");
        // the reports as captured, folded below
        assertThat(d.findElement(By.cssSelector("#panel-qos details.raw-reports summary")).getText()).isEqualTo("The 6 reports as captured");
        engineer.screenshot("qos");
        assertAccessible(engineer, "QoS tab");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(3)
    void downloadsThePcapAndCreatesAShareLink() throws IOException, InterruptedException {
        var d = engineer.driver;
        d.findElement(By.id("tab-export")).click();
        d.findElement(By.id("download-pcap")).click();
        Path pcap = awaitDownload(engineer.downloads);
        assertThat(Files.readAllBytes(pcap)).isEqualTo(FakeHomerApi.PCAP);
        assertThat(pcap.getFileName().toString()).endsWith(".pcap");

        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("share-expiry"))).selectByVisibleText("7 days");
        // what the customer sees: by default addresses masked and aliases hidden; here one more host in clear, aliases shown
        assertThat(d.findElement(By.id("share-mask")).isSelected()).isTrue();
        assertThat(d.findElement(By.id("share-hide-aliases")).isSelected()).isTrue();
        assertThat(d.findElements(By.cssSelector("#share-hosts input"))).extracting(e -> e.getAttribute("value"))
                .containsExactly("192.0.2.10", "192.0.2.20", "192.0.2.30");
        d.findElement(By.cssSelector("#share-hosts input[value='192.0.2.20']")).click();
        d.findElement(By.id("share-hide-aliases")).click();
        d.findElement(By.id("create-share")).click();
        WebElement url = waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("share-url")));
        assertThat(api.lastShareView).isEqualTo(Map.of("legs", List.of(FakeHomerApi.CALL), "hosts", List.of("192.0.2.20"),
                "maskAddresses", true, "hideAliases", false));
        assertThat(d.findElement(By.id("share-view")).getText())
                .isEqualTo("The customer sees this leg only; 192.0.2.20 in clear, every other address masked; host names shown.");
        assertAccessible(engineer, "share dialog");
        shareUrl = url.getAttribute("value");
        assertThat(shareUrl).isEqualTo(base + "/embed/share-1");
        // the dialog names the sites that may frame the link (homer.ui.embed.allowed-origins)
        assertThat(d.findElement(By.id("share-origins")).getText())
                .isEqualTo("May be framed by: http://127.0.0.2:" + allowedPortal.port() + " (homer.ui.embed.allowed-origins).");
    }

    @Test
    @Order(4)
    void opensAndExportsACallWhoseCallIdHasASlash() {
        var d = engineer.driver;
        d.get(base + "/call/" + URLEncoder.encode(FakeHomerApi.SLASH_CALL, StandardCharsets.UTF_8));
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), 2));
        assertThat(d.findElements(By.cssSelector("svg.ladder g.arrow text.label"))).extracting(WebElement::getText)
                .containsExactly("INVITE", "486 Busy Here");
        // a flow cut at the API's byte bound says so
        assertThat(d.findElement(By.id("flow-truncated")).getText()).startsWith("This flow was cut at the API's size limit");
        d.findElement(By.id("tab-export")).click();
        d.findElement(By.id("show-text")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("pre.export-text"),
                "Call-ID: " + FakeHomerApi.SLASH_CALL));
        // the text export's times are in the zone the page shows (homer-api's tz): the browser's, or the one chosen
        assertThat(api.lastTextQuery).containsPattern("[?&]tz=(UTC|[A-Za-z_]+(/[A-Za-z0-9_+-]+)+)(&|$)");
        d.findElement(By.id("show-sipp")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("pre.export-text"), "<send><![CDATA["));
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(5)
    void embedsTheSharedCallOnAnAllowedOriginWithoutLogin() throws IOException, InterruptedException {
        try (Browser customer = new Browser()) {
            var d = customer.driver;
            d.get("http://127.0.0.2:" + allowedPortal.port() + "/portal?src=" + URLEncoder.encode(shareUrl, StandardCharsets.UTF_8));
            d.switchTo().frame("call");
            List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("svg.ladder g.arrow"), api.messageCount(FakeHomerApi.CALL)));
            // what happened to the call, in words, above the ladder as in the engineer's view
            assertThat(d.findElement(By.id("call-record")).getText()).contains("Completed: the caller ended it",
                    "Q.850 cause 16 — Normal call clearing");
            arrows.get(2).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "INVITE sip:bob@192.0.2.30 SIP/2.0"));
            // payload types are named without a login too (a name only the fake's endpoint can have given)
            assertThat(d.findElement(By.cssSelector("#detail abbr.hep-type")).getText()).isEqualTo("SIP");
            assertThat(d.findElements(By.id("username"))).isEmpty();
            // the embed names the zone of its times: the customer's browser's
            String zone = (String) js(d, "return Intl.DateTimeFormat().resolvedOptions().timeZone");
            assertThat(d.findElement(By.id("embed-zone")).getText()).startsWith("Times are in " + zone);
            // the tenant's branding: its name as text, its logo from the API, its accent colour
            assertThat(d.findElement(By.cssSelector("#embed-brand .embed-brand-name")).getText()).isEqualTo("Acme <b>Voice</b>");
            assertThat(d.findElements(By.cssSelector("#embed-brand b"))).isEmpty();
            WebElement logo = d.findElement(By.cssSelector("#embed-brand img"));
            assertThat(logo.getAttribute("alt")).isEqualTo("Acme <b>Voice</b> logo");
            Boolean loaded = waiting(d).until(x -> (Boolean) js(x, "const i = document.querySelector('#embed-brand img'); "
                    + "return i.complete && i.naturalWidth === 1 ? true : null;"));
            assertThat(loaded).as("the logo loaded from the API").isTrue();
            assertThat(d.findElement(By.id("embed-brand")).getCssValue("border-bottom-color")).isEqualTo("rgba(11, 114, 133, 1)");
            // who shared it and until when, and that addresses of others are masked
            assertThat(d.findElement(By.id("embed-about")).getText()).startsWith("Shared by " + FakeHomerApi.USER
                    + "; the link is valid until ").endsWith("Addresses of hosts other than yours are masked (host A, host B…).");
            // The only link leads to the shared PCAP: nothing navigates into the engineer UI.
            assertThat(d.findElements(By.cssSelector("a"))).extracting(a -> a.getAttribute("href"))
                    .containsExactly(base + "/api/v1/shared/share-1/pcap");
            // the customer sees the media diagnosis too
            d.findElement(By.id("tab-qos")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#panel-qos .verdict.high_jitter"),
                    "jitter up to 60 ms"));
            d.findElement(By.id("download-pcap")).click();
            assertThat(Files.readAllBytes(awaitDownload(customer.downloads))).isEqualTo(FakeHomerApi.PCAP);
            assertThat(customer.cspViolations()).isEmpty();
            assertAccessible(customer, "embed");
            d.switchTo().defaultContent();
            customer.screenshot("embed");
        }
    }

    /** Sipfront's frame: 700 px wide. Nothing of the embed is cut or needs the page scrolled sideways. */
    @Test
    @Order(5)
    void theEmbedFitsA700PixelFrame() {
        try (Browser customer = new Browser()) {
            var d = customer.driver;
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 1000));
            d.get("http://127.0.0.2:" + allowedPortal.port() + "/portal?width=700&src=" + URLEncoder.encode(shareUrl, StandardCharsets.UTF_8));
            d.switchTo().frame("call");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"),
                    api.messageCount(FakeHomerApi.CALL)));
            long pageWidth = (Long) js(d, "return document.documentElement.scrollWidth");
            long frameWidth = (Long) js(d, "return document.documentElement.clientWidth");
            assertThat(pageWidth).as("the embed's width %d in a frame of %d", pageWidth, frameWidth).isLessThanOrEqualTo(frameWidth);
            assertWholeLadderVisible(d);
            for (String id : List.of("call-record", "embed-about")) {
                WebElement e = d.findElement(By.id(id));
                assertThat(e.getRect().getX() + e.getRect().getWidth()).as("#%s within the frame", id).isLessThanOrEqualTo((int) frameWidth);
            }
            d.switchTo().defaultContent();
            customer.screenshot("embed-700");
        }
    }

    @Test
    @Order(6)
    void refusesToBeFramedByAnyOtherOriginOrOutsideEmbed() {
        try (Browser visitor = new Browser()) {
            var d = visitor.driver;
            // a portal the link is not for: its frame says so in words, in place of the browser's error page
            String stranger = "http://127.0.0.1:" + otherPortal.port();
            d.get(stranger + "/portal?src=" + URLEncoder.encode(shareUrl, StandardCharsets.UTF_8));
            d.switchTo().frame("call");
            assertThat(waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("embed-refused"))).getText())
                    .isEqualTo("This call may not be shown inside " + stranger);
            assertThat(d.findElements(By.cssSelector("svg.ladder"))).isEmpty();
            assertAccessible(visitor, "refused frame");
            d.switchTo().defaultContent();
            // a portal that sends no Referer names no framer: frame-ancestors refuses the embed
            d.get(stranger + "/portal?noreferrer=1&src=" + URLEncoder.encode(shareUrl, StandardCharsets.UTF_8));
            assertNotRendered(d);
            // The engineer app refuses framing even from the allowed origin.
            d.get("http://127.0.0.2:" + allowedPortal.port() + "/portal?src=" + URLEncoder.encode(base + "/login", StandardCharsets.UTF_8));
            assertNotRendered(d);
        }
    }

    /** The frame was navigated and Chromium replaced the refused document with its error page. */
    private static void assertNotRendered(WebDriver d) {
        d.switchTo().frame("call");
        String href = waiting(d).until(x -> {
            String h = (String) ((JavascriptExecutor) x).executeScript("return location.href");
            return h.equals("about:blank") ? null : h;
        });
        assertThat(href).startsWith("chrome-error://");
        assertThat(d.findElements(By.id("main"))).isEmpty();
        d.switchTo().defaultContent();
    }

    @Test
    @Order(7)
    void rendersAttackerControlledSipAsText() {
        var d = engineer.driver;
        d.get(base + "/?view=calls&range=1h");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), 2));
        String table = d.findElement(By.id("calls-table")).getText();
        assertThat(table).contains(FakeHomerApi.IMG).contains(FakeHomerApi.SCRIPT);

        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText(FakeHomerApi.XSS_CALL))).click();
        List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), 2));
        arrows.get(0).click();
        WebElement detail = waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail pre.sip")));
        String text = (String) ((JavascriptExecutor) d).executeScript("return arguments[0].textContent", detail);
        assertThat(text)
                .contains("From: \"" + FakeHomerApi.IMG + "\"")
                .contains("User-Agent: " + FakeHomerApi.SCRIPT)
                .contains("Contact: <" + FakeHomerApi.JS_CONTACT + ">")
                .contains(FakeHomerApi.SVG)
                .contains("hello\u2028world\u2029end");
        arrows.get(1).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "<b onmouseover=alert(6)>Not Acceptable</b>"));
        assertThat(arrows.get(1).findElement(By.cssSelector("text.label")).getText()).startsWith("488 <b onmouseover");

        // Nothing of it became markup: no element was created from the payloads, no script ran.
        assertThat(d.findElements(By.cssSelector("main img, main svg svg, main circle, main b, main script, a[href^='javascript:']"))).isEmpty();
        assertThat(d.findElements(By.cssSelector("script"))).hasSize(1);
        assertThat(engineer.alerts()).isEmpty();
        assertThatThrownBy(() -> d.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(engineer.cspViolations()).isEmpty();

        d.findElement(By.id("tab-logs")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("panel-logs"), "routing INVITE for " + FakeHomerApi.IMG));
        assertThat(d.findElements(By.cssSelector("main img"))).isEmpty();
        // the log line's level, in words and colour
        assertThat(d.findElement(By.cssSelector("#panel-logs .badge.lv-error")).getText()).isEqualTo("error");
    }

    @Test
    @Order(7)
    void showsTheDevicesOfAForkedCallInItsSummaryAndNoneForAnOrdinaryCall() {
        var d = engineer.driver;
        d.get(callUrl(FakeHomerApi.XSS_CALL, ""));
        WebElement forks = waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("record-forks")));
        // the answered device first, each named by its alias in the flow (as text: the attacker's alias is markup)
        assertThat(forks.getText()).isEqualTo("to 5 devices: bob-pbx answered, " + FakeHomerApi.IMG
                + " 487 cancelled, 192.0.2.40 480, and 2 more");
        assertThat(d.findElements(By.cssSelector("#call-record dt"))).extracting(WebElement::getText).contains("Forked");
        assertThat(forks.findElements(By.cssSelector("span.fork"))).extracting(e -> e.getAttribute("title"))
                .containsExactly("To tag b1, from 192.0.2.30:5060", "To tag " + FakeHomerApi.IMG + ", from 192.0.2.20:5060",
                        "To tag d1, from 192.0.2.40:5060");
        assertThat(forks.findElements(By.cssSelector("span.fork.answered"))).hasSize(1);
        assertThat(d.findElements(By.cssSelector("main img"))).isEmpty();

        d.get(callUrl(FakeHomerApi.CALL, ""));
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("call-record"), "Completed: the caller ended it"));
        assertThat(d.findElements(By.id("record-forks"))).as("one device: not forked").isEmpty();
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(8)
    void streamsLiveCallsThroughTheProxyAndResumesAfterADropAndA429() {
        var items = api.liveItems();
        Map<String, Long> perCall = items.stream().collect(java.util.stream.Collectors.groupingBy(
                m -> (String) m.get("callId"), LinkedHashMap::new, java.util.stream.Collectors.counting()));
        var d = engineer.driver;
        d.get(base + "/live");
        // The fake ends the first stream half-way and answers 429 once: every message still arrives once.
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-count"), items.size() + " received"));
        waiting(d).until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "live"));
        assertThat(d.findElements(By.cssSelector("form.live-filter .grid input")).stream().map(e -> e.getAttribute("name")).toList())
                .as("the live filters are the stream's fields of GET /api/v1/meta/search").isEqualTo(api.searchParams("stream"));
        assertThat(Integer.parseInt(d.findElement(By.cssSelector(".live")).getAttribute("data-reconnects"))).isEqualTo(2);
        String half = (String) items.get(items.size() / 2 - 1).get("id");
        assertThat(api.streamRequests()).containsExactly("", half, half);

        // One row per Call-ID, newest call first, its message count and last status.
        List<WebElement> calls = d.findElements(By.cssSelector("#live-calls tbody tr"));
        assertThat(calls).extracting(r -> r.getAttribute("data-call-id")).containsExactlyInAnyOrderElementsOf(perCall.keySet());
        for (WebElement row : calls) {
            assertThat(row.findElement(By.cssSelector("td.msgs")).getText())
                    .isEqualTo(String.valueOf(perCall.get(row.getAttribute("data-call-id"))));
        }
        assertThat(d.findElement(By.cssSelector("#live-calls tr[data-call-id='" + FakeHomerApi.CALL + "'] td.status")).getText()).isEqualTo("200");
        assertThat(d.findElement(By.id("live-messages")).isDisplayed()).isFalse();

        // The raw list: every message once (the repeated event was dropped), newest first.
        d.findElement(By.id("live-view-messages")).click();
        assertThat(d.getCurrentUrl()).contains("view=messages");
        assertThat(d.findElements(By.cssSelector("#live-messages tbody tr"))).hasSize(items.size());
        assertThat(d.findElement(By.cssSelector("#live-messages tbody tr:first-child")).getText()).contains("200").contains("192.0.2.20:5060");
        engineer.screenshot("live");
        assertAccessible(engineer, "live");

        // Keyboard: ↓ moves between calls, Enter opens one.
        d.findElement(By.id("live-view-calls")).click();
        WebElement first = d.findElement(By.cssSelector("#live-calls tbody tr:first-child a"));
        first.sendKeys(Keys.ARROW_DOWN);
        WebElement second = d.findElement(By.cssSelector("#live-calls tbody tr:nth-child(2) a"));
        assertThat(d.switchTo().activeElement()).isEqualTo(second);
        second.sendKeys(Keys.ENTER);
        waiting(d).until(ExpectedConditions.urlContains("/call/"));
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(9)
    void dashboardChartsTheServedSeriesAndShowsTheTotals() {
        var d = engineer.driver;
        d.get(base + "/");
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText("Dashboard"))).click();
        waiting(d).until(ExpectedConditions.urlContains("/dashboard"));
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dashboard figure.chart canvas"), 4));

        // Totals as served: 10 calls, 1 redirected (9 attempts), 6 answered, 1 busy.
        assertThat(tileValue(d, "calls")).isEqualTo("10");
        assertThat(tileValue(d, "answered")).isEqualTo("6");
        assertThat(tileValue(d, "asr")).isEqualTo("66.7 %");
        assertThat(tileValue(d, "ner")).isEqualTo("77.8 %");
        assertThat(tileValue(d, "sd")).isEqualTo("11.1 %");
        assertThat(tileValue(d, "isa")).isEqualTo("10.0 %");
        assertThat(tileValue(d, "pdd")).isEqualTo("850 ms");
        assertThat(tileValue(d, "duration")).isEqualTo("31 s");
        assertThat(tileValue(d, "ahr")).isEqualTo("2");
        assertThat(d.findElements(By.cssSelector("#tile-status li"))).extracting(WebElement::getText)
                .containsExactly("200 6", "302 1", "404 1", "486 1", "503 1");

        // Each chart plots the served series (uPlot legend) and lists the same numbers in its data table.
        assertThat(legend(d, "chart-ratios")).containsExactly("ASR", "NER", "SD", "ISA");
        assertThat(legend(d, "chart-calls")).containsExactly("Calls", "Answered", "Busy", "Failed");
        assertThat(legend(d, "chart-methods")).containsExactly("INVITE", "BYE", "OTHER");
        assertThat(legend(d, "chart-statuses")).containsExactly("1xx", "2xx", "3xx", "4xx", "5xx", "6xx");
        List<List<String>> ratios = dataTable(d, "chart-ratios");
        assertThat(ratios).hasSize(FakeHomerApi.INVITES.length);
        assertThat(ratios.get(0).subList(1, 5)).containsExactly("100 %", "100 %", "0 %", "0 %");
        assertThat(ratios.get(1).subList(1, 5)).containsExactly("—", "—", "—", "—");
        assertThat(ratios.get(5).subList(1, 5)).containsExactly("0 %", "0 %", "100 %", "100 %");
        List<List<String>> calls = dataTable(d, "chart-calls");
        for (int i = 0; i < FakeHomerApi.INVITES.length; i++) {
            assertThat(calls.get(i).subList(1, 5)).containsExactly(String.valueOf(FakeHomerApi.INVITES[i]),
                    String.valueOf(FakeHomerApi.ANSWERED[i]), String.valueOf(FakeHomerApi.BUSY[i]), String.valueOf(FakeHomerApi.FAILED[i]));
        }
        assertThat(dataTable(d, "chart-methods").get(2).subList(1, 4)).containsExactly("4", "2", "3");
        engineer.screenshot("dashboard");
        assertAccessible(engineer, "dashboard");

        // The range and node are in the URL, and a reload shows the same page.
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("range"))).selectByVisibleText("Last 24 h");
        d.findElement(By.id("d-node")).sendKeys("kamailio-edge", Keys.ENTER);
        waiting(d).until(ExpectedConditions.urlContains("node=kamailio-edge"));
        assertThat(d.getCurrentUrl()).contains("range=24h");
        d.navigate().refresh();
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dashboard figure.chart canvas"), 4));
        assertThat(d.findElement(By.id("d-node")).getAttribute("value")).isEqualTo("kamailio-edge");
        assertThat(d.findElement(By.id("range")).getAttribute("value")).isEqualTo("24h");

        // A node without calls: the empty state, no chart.
        d.get(base + "/dashboard?range=1h&node=" + FakeHomerApi.QUIET_NODE);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#dashboard .empty"), "No calls"));
        assertThat(d.findElements(By.cssSelector("#dashboard figure.chart"))).isEmpty();
        assertThat(engineer.cspViolations()).isEmpty();

        // Each tile opens the matching search over the same range: the 503 of the status mix, the calls with final
        // status 503 (the form shows the filter); with a node (a filter of messages only), that node's messages.
        d.get(base + "/dashboard?range=custom&from=2026-01-01T10:00:00.000Z&to=2026-01-01T11:00:00.000Z");
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.xpath("//*[@id='tile-status']//a[contains(., '503')]"))).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("f-status")));
        String url = java.net.URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8);
        assertThat(url).startsWith(base + "/?").contains("view=calls", "status=503", "range=custom",
                "from=2026-01-01T10:00:00.000Z", "to=2026-01-01T11:00:00.000Z");
        assertThat(d.findElement(By.id("f-status")).getAttribute("value")).isEqualTo("503");
        d.get(base + "/dashboard?range=custom&from=2026-01-01T10:00:00.000Z&to=2026-01-01T11:00:00.000Z&node=kamailio-edge");
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#tile-calls a"))).click();
        waiting(d).until(ExpectedConditions.urlContains("view=messages"));
        assertThat(java.net.URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8)).contains("node=kamailio-edge", "from=2026-01-01T10:00:00.000Z");
        // the form is built once the search fields are read (GET /api/v1/meta/search), after the URL changed
        assertThat(waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("f-node"))).getAttribute("value"))
                .isEqualTo("kamailio-edge");
    }

    @Test
    @Order(9)
    void theDashboardShowsRegistrationsBesideTheCallsAndBreaksTheRangeDownEachRowOpeningItsCalls() {
        var d = engineer.driver;
        String range = "range=custom&from=2026-01-01T10:00:00.000Z&to=2026-01-01T11:00:00.000Z";
        d.get(base + "/dashboard?" + range);
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#breakdown-node tbody tr"), 2));
        // the registrations of the range beside the calls: 5, of them 3 answered 2xx
        assertThat(tileValue(d, "registrations")).isEqualTo("5");
        assertThat(tileValue(d, "reg-success")).isEqualTo("60.0 %");

        // three tables of the top groups as homer-api serves them (GET /api/v1/stats/breakdown, top 10)
        assertThat(cells(d, "#breakdown-node thead tr")).containsExactly(List.of("Node", "Calls", "Answered", "ASR", "NER", "4xx",
                "5xx", "6xx", "Avg duration", "Registrations", "Reg. failing"));
        assertThat(cells(d, "#breakdown-node tbody tr")).containsExactly(
                List.of("kamailio-edge", "7", "5", "71.4 %", "71.4 %", "2", "0", "0", "31 s", "3", "33.3 %"),
                List.of("kamailio-core", "3", "1", "33.3 %", "33.3 %", "2", "0", "0", "31 s", "2", "0.0 %"));
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#breakdown-srcIp tbody tr"), 10));
        assertThat(d.findElement(By.cssSelector("#breakdown-srcIp tfoot")).getText()).isEqualTo("2 more not shown");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#breakdown-calleePrefix tbody tr"), 2));
        // by callee prefix there are no registrations: no such columns
        assertThat(cells(d, "#breakdown-calleePrefix thead tr").get(0)).containsExactly("Callee prefix", "Calls", "Answered", "ASR",
                "NER", "4xx", "5xx", "6xx", "Avg duration");
        assertThat(cells(d, "#breakdown-calleePrefix tbody tr").get(0)).startsWith("+4930", "6", "4", "66.7 %");
        assertAccessible(engineer, "dashboard breakdowns");

        // each row opens the calls it counts over the same range: a prefix in each of its written forms, a node
        d.findElement(By.linkText("+4930")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("f-callee")));
        String url = java.net.URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8);
        assertThat(url).startsWith(base + "/?").contains("view=calls", "callee=+4930*,004930*,030*", range);
        assertThat(d.findElement(By.id("f-callee")).getAttribute("value")).isEqualTo("+4930*,004930*,030*");
        waiting(d).until(d2 -> api.lastCallsQuery != null && api.lastCallsQuery.contains("callee=+4930*,004930*,030*"));
        d.navigate().back();
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText("kamailio-core"))).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("f-node")));
        assertThat(java.net.URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8)).contains("view=calls", "node=kamailio-core", range);
        d.navigate().back();
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText("10.0.0.1"))).click();
        waiting(d).until(ExpectedConditions.urlContains("srcIp=10.0.0.1"));

        // a node narrows the breakdowns too: its own row, and each row's calls of that node
        d.get(base + "/dashboard?" + range + "&node=kamailio-edge");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#breakdown-node tbody tr"), 1));
        assertThat(cells(d, "#breakdown-node tbody tr").get(0).get(0)).isEqualTo("kamailio-edge");
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText("1000"))).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("f-callee")));
        assertThat(java.net.URLDecoder.decode(d.getCurrentUrl(), StandardCharsets.UTF_8)).contains("callee=1000*", "node=kamailio-edge", range);

        // the quick ranges of 6 h and 7 d beside the custom one, kept in the URL
        d.get(base + "/dashboard?" + range);
        var picker = new org.openqa.selenium.support.ui.Select(waiting(d).until(ExpectedConditions.elementToBeClickable(By.id("range"))));
        assertThat(picker.getOptions()).extracting(WebElement::getText)
                .containsExactly("Last 15 min", "Last 1 h", "Last 6 h", "Last 24 h", "Last 7 d", "Custom…");
        picker.selectByVisibleText("Last 7 d");
        d.findElement(By.id("dashboard-button")).click();
        waiting(d).until(ExpectedConditions.urlContains("range=7d"));
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#breakdown-node tbody tr"), 2));
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("range"))).selectByVisibleText("Last 6 h");
        d.findElement(By.id("dashboard-button")).click();
        waiting(d).until(ExpectedConditions.urlContains("range=6h"));
        d.navigate().refresh();
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#breakdown-node tbody tr"), 2));
        assertThat(d.findElement(By.id("range")).getAttribute("value")).isEqualTo("6h");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> cells(WebDriver d, String rows) {
        return (List<List<String>>) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(r => [...r.cells].map(c => c.textContent))", rows);
    }

    private static String tileValue(WebDriver d, String id) {
        return d.findElement(By.cssSelector("#tile-" + id + " .tile-value")).getText();
    }

    @SuppressWarnings("unchecked")
    private static List<String> legend(WebDriver d, String chart) {
        return (List<String>) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] + ' .u-legend .u-series .u-label')].slice(1).map(e => e.textContent)", chart);
    }

    /** The rows of a chart's data table (closed <details>: read through the DOM, not as visible text). */
    @SuppressWarnings("unchecked")
    private static List<List<String>> dataTable(WebDriver d, String chart) {
        return (List<List<String>>) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] + ' table.data tbody tr')].map(r => [...r.cells].map(c => c.textContent))", chart);
    }

    @Test
    @Order(10)
    void managesUsersFromTheAdminPage() {
        var d = engineer.driver;
        d.get(base + "/");
        waiting(d).until(ExpectedConditions.elementToBeClickable(By.linkText("Admin"))).click();
        waiting(d).until(ExpectedConditions.urlContains("/admin/users"));
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#users-table tr[data-key=watcher]")));
        // A name with markup is text.
        assertThat(d.findElement(By.id("users-table")).getText()).contains(FakeHomerApi.IMG);

        // A taken name: the API's message next to the form, typed and submitted with the keyboard.
        d.findElement(By.id("user-name")).sendKeys("watcher");
        d.findElement(By.id("user-password")).sendKeys("a-long-enough-password", Keys.ENTER);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".form-error [role=alert]"), "username already taken"));

        d.findElement(By.id("user-name")).clear();
        d.findElement(By.id("user-name")).sendKeys("carol");
        d.findElement(By.id("user-password")).clear();
        d.findElement(By.id("user-password")).sendKeys("a-long-enough-password");
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("user-role"))).selectByValue("viewer");
        int loads = loads(d);
        d.findElement(By.id("user-create")).click();
        awaitReload(d, loads);
        By carol = By.cssSelector("#users-table tr[data-key=carol]");
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(carol));
        assertThat(api.userItems().get("carol")).containsEntry("role", "viewer").containsEntry("disabled", false);

        loads = loads(d);
        new org.openqa.selenium.support.ui.Select(d.findElement(carol).findElement(By.tagName("select"))).selectByValue("user");
        awaitReload(d, loads);
        assertThat(api.userItems().get("carol")).containsEntry("role", "user");
        loads = loads(d);
        d.findElement(carol).findElement(By.cssSelector("button.toggle-disabled")).click();
        awaitReload(d, loads);
        assertThat(d.findElement(By.cssSelector("#users-table tr[data-key=carol] td.state")).getText()).isEqualTo("disabled");
        assertThat(api.userItems().get("carol")).containsEntry("disabled", true);

        d.findElement(carol).findElement(By.cssSelector("button.reset-password")).click();
        d.findElement(carol).findElement(By.cssSelector("input.new-password")).sendKeys("another-long-password", Keys.ENTER);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".table-status"), "Password of carol changed."));

        // Delete asks first; Cancel keeps the user.
        d.findElement(carol).findElement(By.cssSelector("button.danger")).click();
        d.findElement(carol).findElement(By.cssSelector("button.cancel")).click();
        assertThat(api.userItems()).containsKey("carol");
        d.findElement(carol).findElement(By.cssSelector("button.danger")).click();
        loads = loads(d);
        d.findElement(carol).findElement(By.cssSelector("button.confirm")).click();
        awaitReload(d, loads);
        assertThat(d.findElements(carol)).isEmpty();
        assertThat(api.userItems()).doesNotContainKey("carol");
        engineer.screenshot("admin-users");
        assertAccessible(engineer, "admin users");
        assertNoMarkup(engineer);
    }

    @Test
    @Order(11)
    void managesHostAliasesFromTheAdminPage() {
        var d = engineer.driver;
        d.findElement(By.linkText("Host aliases")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".admin-list"), "No aliases yet"));
        d.findElement(By.id("alias-ip")).sendKeys("192.0.2.99");
        d.findElement(By.id("alias-name")).sendKeys(FakeHomerApi.IMG, Keys.ENTER);
        By row = By.cssSelector("#aliases-table tbody tr");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(row, 1));
        assertThat(d.findElement(By.cssSelector("#aliases-table td.name")).getText()).isEqualTo(FakeHomerApi.IMG);
        assertThat(api.aliasItems()).singleElement().satisfies(a -> assertThat(a).containsEntry("ip", "192.0.2.99")
                .containsEntry("port", null).containsEntry("alias", FakeHomerApi.IMG));

        // The same address and port again: the API's conflict, next to the form.
        d.findElement(By.id("alias-ip")).sendKeys("192.0.2.99");
        d.findElement(By.id("alias-name")).sendKeys("again", Keys.ENTER);
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".form-error [role=alert]"), "already have an alias"));

        // Edit: port and name, updated in place (same id).
        Object id = api.aliasItems().get(0).get("id");
        d.findElement(By.cssSelector("#aliases-table button.edit")).click();
        d.findElement(By.cssSelector("#aliases-table input[type=number]")).sendKeys("5060");
        WebElement name = d.findElement(By.cssSelector("#aliases-table input[id$='-name']"));
        name.clear();
        name.sendKeys("edge-2");
        int loads = loads(d);
        d.findElement(By.cssSelector("#aliases-table button.save")).click();
        awaitReload(d, loads);
        assertThat(d.findElement(By.cssSelector("#aliases-table td.name")).getText()).isEqualTo("edge-2");
        assertThat(api.aliasItems()).singleElement().satisfies(a -> assertThat(a).containsEntry("id", id)
                .containsEntry("port", 5060).containsEntry("alias", "edge-2"));

        d.findElement(By.cssSelector("#aliases-table button.danger")).click();
        d.findElement(By.cssSelector("#aliases-table button.confirm")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".admin-list"), "No aliases yet"));
        assertThat(api.aliasItems()).isEmpty();
        assertNoMarkup(engineer);
    }

    @Test
    @Order(12)
    void createsAnApiTokenShownOnceAndDeletesIt() {
        var d = engineer.driver;
        d.findElement(By.linkText("API tokens")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("token-name"))).sendKeys(FakeHomerApi.IMG);
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("token-role"))).selectByValue("user");
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("token-expiry"))).selectByVisibleText("30 days");
        d.findElement(By.id("token-create")).click();
        WebElement value = waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("token-value")));
        var created = api.tokenItems();
        assertThat(created).hasSize(1);
        assertThat(value.getAttribute("value")).isEqualTo("hsk_fake" + created.get(0).get("id"));
        assertThat(d.findElement(By.cssSelector(".token-once")).getText()).contains("shown only once");
        assertThat(created.get(0)).containsEntry("role", "user").containsEntry("name", FakeHomerApi.IMG);
        assertThat(java.time.Instant.parse((String) created.get(0).get("expiresAt")))
                .isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(30)).minusSeconds(120), java.time.Instant.now().plus(java.time.Duration.ofDays(30)));
        d.findElement(By.id("token-copy")).click();
        waiting(d).until(ExpectedConditions.textMatches(By.cssSelector(".token-once [role=status]"), java.util.regex.Pattern.compile("Copied|Ctrl\\+C")));
        waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("#tokens-table td.name"), FakeHomerApi.IMG));
        engineer.screenshot("admin-tokens");
        assertAccessible(engineer, "admin tokens");

        d.findElement(By.cssSelector("#tokens-table button.danger")).click();
        d.findElement(By.cssSelector("#tokens-table button.confirm")).click();
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.id("tokens-table"), 0));
        assertThat(api.tokenItems()).isEmpty();
        assertNoMarkup(engineer);
    }

    @Test
    @Order(13)
    void revokesAShareLinkAndTheEmbedRefusesIt() {
        var d = engineer.driver;
        d.findElement(By.linkText("Share links")).click();
        By row = By.cssSelector("#shares-table tbody tr");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(row, api.shareItems().size()));
        WebElement share = d.findElements(row).get(0);
        assertThat(share.getText()).contains(FakeHomerApi.CALL);
        share.findElement(By.cssSelector("button.danger")).click();
        int loads = loads(d);
        share.findElement(By.cssSelector("button.confirm")).click();
        awaitReload(d, loads);
        assertThat(d.findElements(row)).hasSize(api.shareItems().size());
        assertThat(api.shareItems()).extracting(m -> m.get("token")).doesNotContain("share-1");

        d.get(shareUrl);
        // a calm page, not an error: the link is no longer valid
        assertThat(waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("embed-gone"))).getText())
                .isEqualTo("This link is no longer valid");
        assertThat(d.findElements(By.cssSelector("[role=alert]"))).isEmpty();
        assertAccessible(engineer, "embed of a revoked link");
    }

    @Test
    @Order(14)
    void aViewerSeesAdminOnly() {
        try (Browser viewer = new Browser()) {
            var d = viewer.driver;
            d.get(base + "/admin/users");
            waiting(d).until(ExpectedConditions.urlContains("/login"));
            d.findElement(By.id("username")).sendKeys(FakeHomerApi.VIEWER);
            d.findElement(By.id("password")).sendKeys(FakeHomerApi.VIEWER_PASSWORD, Keys.ENTER);
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-only"), "Admin only"));
            assertThat(d.findElements(By.id("users-table"))).isEmpty();
            assertThat(d.findElement(By.cssSelector(".mainnav")).getText()).contains("Dashboard").doesNotContain("Admin");
            for (String page : new String[] {"tenants", "aliases", "tokens", "shares"}) {
                d.get(base + "/admin/" + page);
                waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-only"), "Admin only"));
            }
            // The dashboard is for every role.
            d.get(base + "/dashboard");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dashboard figure.chart canvas"), 4));
        }
    }

    @Test
    @Order(15)
    void managesTenantsAndAssignsThemToUsersAndTokens() {
        var d = engineer.driver;
        d.get(base + "/admin/tenants");
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".admin-list"), "No tenants"));

        // A network with host bits set: homer-api's 400, next to the form, and nothing created.
        d.findElement(By.id("tenant-name")).sendKeys(FakeHomerApi.IMG);
        d.findElement(By.id("tenant-nodes")).sendKeys("kamailio-1, kamailio-2\n\n kamailio-3");
        d.findElement(By.id("tenant-networks")).sendKeys("10.1.0.1/16");
        d.findElement(By.id("tenant-create")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".form-error [role=alert]"),
                "networks[0]: \"10.1.0.1/16\" has host bits set (the network is 10.1.0.0/16)"));
        assertThat(api.tenantItems()).isEmpty();
        d.findElement(By.id("tenant-networks")).clear();
        d.findElement(By.id("tenant-networks")).sendKeys("10.1.0.0/16,\n192.0.2.0/24");
        int loads = loads(d);
        d.findElement(By.id("tenant-create")).click();
        awaitReload(d, loads);
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tenants-table tbody tr"), 1));
        // Markup in a tenant name is text.
        assertThat(d.findElement(By.cssSelector("#tenants-table td.name")).getText()).isEqualTo(FakeHomerApi.IMG);
        assertThat(api.tenantItems().get(FakeHomerApi.IMG))
                .containsEntry("nodes", List.of("kamailio-1", "kamailio-2", "kamailio-3"))
                .containsEntry("networks", List.of("10.1.0.0/16", "192.0.2.0/24"));
        assertThat(d.findElement(By.cssSelector("#tenants-table td.networks")).getText()).isEqualTo("10.1.0.0/16\n192.0.2.0/24");

        d.findElement(By.id("tenant-name")).sendKeys("acme");
        d.findElement(By.id("tenant-nodes")).sendKeys("edge-1");
        loads = loads(d);
        d.findElement(By.id("tenant-create")).click();
        awaitReload(d, loads);
        By acme = By.cssSelector("#tenants-table tr[data-key=acme]");
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(acme));
        assertThat(api.tenantItems().get("acme")).containsEntry("nodes", List.of("edge-1")).containsEntry("networks", List.of());

        // Edit in place: a bad network is refused with the API's message, then the fixed lists are sent.
        d.findElement(acme).findElement(By.cssSelector("button.edit")).click();
        WebElement nodes = d.findElement(acme).findElement(By.cssSelector("textarea.nodes"));
        nodes.clear();
        nodes.sendKeys("edge-1\nedge-2");
        d.findElement(acme).findElement(By.cssSelector("textarea.networks")).sendKeys("10.9.0.1/8");
        d.findElement(acme).findElement(By.cssSelector("button.save")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".table-status [role=alert]"), "has host bits set (the network is 10.0.0.0/8)"));
        assertThat(api.tenantItems().get("acme")).containsEntry("nodes", List.of("edge-1"));
        WebElement networks = d.findElement(acme).findElement(By.cssSelector("textarea.networks"));
        networks.clear();
        networks.sendKeys("10.0.0.0/8");
        loads = loads(d);
        d.findElement(acme).findElement(By.cssSelector("button.save")).click();
        awaitReload(d, loads);
        assertThat(api.tenantItems().get("acme")).containsEntry("nodes", List.of("edge-1", "edge-2")).containsEntry("networks", List.of("10.0.0.0/8"));
        assertThat(d.findElement(acme).findElement(By.cssSelector("td.nodes")).getText()).isEqualTo("edge-1\nedge-2");

        // A user in tenant acme: created with it, shown in the list and on the tenant.
        d.findElement(By.linkText("Users")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#user-tenant option[value=acme]")));
        // A fresh form chooses no tenant, whatever the tenants are; the confirmation says which was given.
        assertThat(new org.openqa.selenium.support.ui.Select(d.findElement(By.id("user-tenant"))).getFirstSelectedOption().getText())
                .isEqualTo("none (sees everything)");
        d.findElement(By.id("user-name")).sendKeys("erin");
        d.findElement(By.id("user-password")).sendKeys("a-long-enough-password");
        loads = loads(d);
        d.findElement(By.id("user-create")).click();
        awaitReload(d, loads);
        assertThat(d.findElement(By.id("user-created")).getText()).isEqualTo("User erin created (user, no tenant: sees everything).");
        assertThat(api.userItems().get("erin")).containsEntry("tenant", null);
        d.findElement(By.id("user-name")).sendKeys("dave");
        d.findElement(By.id("user-password")).sendKeys("a-long-enough-password");
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("user-tenant"))).selectByValue("acme");
        loads = loads(d);
        d.findElement(By.id("user-create")).click();
        awaitReload(d, loads);
        By dave = By.cssSelector("#users-table tr[data-key=dave]");
        WebElement daveTenant = waiting(d).until(ExpectedConditions.presenceOfElementLocated(dave)).findElement(By.cssSelector("select.tenant"));
        assertThat(new org.openqa.selenium.support.ui.Select(daveTenant).getFirstSelectedOption().getText()).isEqualTo("acme");
        assertThat(api.userItems().get("dave")).containsEntry("tenant", "acme");
        assertThat(d.findElement(By.id("user-created")).getText()).isEqualTo("User dave created (user, tenant acme).");
        // An admin gets no tenant: its select is disabled.
        assertThat(d.findElement(By.cssSelector("#users-table tr[data-key=admin] select.tenant")).isEnabled()).isFalse();

        // A tenant in use is not deleted: homer-api's 409 is shown in the tenants page.
        d.findElement(By.linkText("Tenants")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(acme, "account dave"));
        d.findElement(acme).findElement(By.cssSelector("button.danger")).click();
        d.findElement(acme).findElement(By.cssSelector("button.confirm")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".table-status [role=alert]"),
                "tenant \"acme\" is still assigned to an account or API token"));
        assertThat(api.tenantItems()).containsKey("acme");

        // Moving dave out of it sends {"tenant": null}.
        d.findElement(By.linkText("Users")).click();
        daveTenant = waiting(d).until(ExpectedConditions.presenceOfElementLocated(dave)).findElement(By.cssSelector("select.tenant"));
        loads = loads(d);
        new org.openqa.selenium.support.ui.Select(daveTenant).selectByValue("");
        awaitReload(d, loads);
        assertThat(api.userItems().get("dave")).containsEntry("tenant", null);

        // A token in the tenant with the markup name: the tenant shows as text.
        d.findElement(By.linkText("API tokens")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#token-tenant option[value=acme]")));
        assertThat(new org.openqa.selenium.support.ui.Select(d.findElement(By.id("token-tenant"))).getFirstSelectedOption().getText())
                .isEqualTo("none (sees everything)");
        d.findElement(By.id("token-name")).sendKeys("acme export");
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("token-tenant"))).selectByVisibleText(FakeHomerApi.IMG);
        d.findElement(By.id("token-create")).click();
        waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("#tokens-table td.tenant"), FakeHomerApi.IMG));
        assertThat(api.tokenItems()).singleElement().satisfies(t -> assertThat(t).containsEntry("tenant", FakeHomerApi.IMG));
        assertThat(d.findElement(By.id("token-created")).getText()).isEqualTo("Token acme export (viewer, tenant " + FakeHomerApi.IMG + "):");

        // Now acme is unused: deleted.
        d.findElement(By.linkText("Tenants")).click();
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tenants-table"), "token acme export"));
        engineer.screenshot("admin-tenants");
        assertAccessible(engineer, "admin tenants");
        d.findElement(acme).findElement(By.cssSelector("button.danger")).click();
        loads = loads(d);
        d.findElement(acme).findElement(By.cssSelector("button.confirm")).click();
        awaitReload(d, loads);
        assertThat(d.findElements(acme)).isEmpty();
        assertThat(api.tenantItems()).containsOnlyKeys(FakeHomerApi.IMG);
        assertNoMarkup(engineer);
    }

    @Test
    @Order(16)
    void aLateAnswerToThePageLeftNeverReachesThePageShown() throws Exception {
        try (Browser b = new Browser()) {
            var d = b.driver;
            By main = By.id("main");
            By dashboardLink = By.cssSelector(".mainnav a[href='/dashboard']");
            By charts = By.cssSelector("#dashboard figure.chart canvas");
            By breakdowns = By.cssSelector("#breakdowns table");

            // The call page waits for a slow flow; the engineer goes on to the dashboard before it comes.
            // the UI asks for every call with its Call-ID in the query (callUrl in api.js)
            FakeHomerApi.Hold flow = api.holdNext("/api/v1/calls/-/flow");
            String callPath = "/call/" + URLEncoder.encode(FakeHomerApi.CALL, StandardCharsets.UTF_8);
            d.get(base + "/login?next=" + URLEncoder.encode(callPath, StandardCharsets.UTF_8));
            d.findElement(By.id("username")).sendKeys(FakeHomerApi.USER);
            d.findElement(By.id("password")).sendKeys(FakeHomerApi.PASSWORD, Keys.ENTER);
            flow.received().get(20, TimeUnit.SECONDS);
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(main, "Loading call flow"));
            d.findElement(dashboardLink).click();
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(charts, 4));
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(breakdowns, 3));
            String dashboard = d.findElement(main).getText();

            // The flow is answered now, late: a second after, the dashboard is as it was, no ladder, no error.
            flow.answer();
            Thread.sleep(1000);
            assertThat(d.getCurrentUrl()).isEqualTo(base + "/dashboard");
            assertThat(d.findElement(main).getText()).isEqualTo(dashboard);
            assertThat(d.findElements(By.cssSelector("main svg.ladder, main .call-head, main [role=alert]"))).isEmpty();
            // Leaving the page aborted its request: the proxy let homer-api go too.
            assertThat(flow.outcome()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("cancelled");

            // The same for a slow search left for the dashboard.
            FakeHomerApi.Hold search = api.holdNext("/api/v1/calls");
            d.findElement(By.cssSelector(".mainnav a[href='/']")).click();
            search.received().get(20, TimeUnit.SECONDS);
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(main, "Searching"));
            d.findElement(dashboardLink).click();
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(charts, 4));
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(breakdowns, 3));
            dashboard = d.findElement(main).getText();
            search.answer();
            Thread.sleep(1000);
            assertThat(d.getCurrentUrl()).isEqualTo(base + "/dashboard");
            assertThat(d.findElement(main).getText()).isEqualTo(dashboard);
            assertThat(d.findElements(By.cssSelector("main #calls-table, main [role=alert]"))).isEmpty();
            assertThat(search.outcome()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("cancelled");
            assertThat(b.alerts()).isEmpty();
            assertThat(b.cspViolations()).isEmpty();
        }
    }

    /** Completed loads of the admin list (data-loads). */
    static int loads(WebDriver d) {
        return Integer.parseInt(waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".admin-list"))).getAttribute("data-loads"));
    }

    /** Waits until the admin list has finished a load after the one counted before. */
    static void awaitReload(WebDriver d, int before) {
        waiting(d).until(x -> loads(x) > before);
    }

    /** No element was created from a payload, no script ran, no CSP violation. */
    static void assertNoMarkup(Browser b) {
        assertThat(b.driver.findElements(By.cssSelector("main img, main script, main b, a[href^='javascript:']"))).isEmpty();
        assertThat(b.alerts()).isEmpty();
        assertThat(b.cspViolations()).isEmpty();
    }

    private static Path awaitDownload(Path dir) throws IOException, InterruptedException {
        return awaitDownload(dir, Duration.ofSeconds(20));
    }

    /** The first complete (non-empty, not partial) file Chromium downloads into {@code dir}. */
    static Path awaitDownload(Path dir, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                var done = files.filter(p -> !p.toString().endsWith(".crdownload") && !p.toString().endsWith(".tmp")).findFirst();
                if (done.isPresent() && Files.size(done.get()) > 0) {
                    return done.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no download in " + dir);
    }

    /**
     * The session is homer-api's HttpOnly cookie: no script of the page reads it, a new tab shares it, a logout
     * (a state-changing request, so with the CSRF token) in one tab ends it on the server and in every tab.
     */
    @Test
    @Order(17)
    void theSessionIsACookieNoScriptReadsThatEveryTabSharesUntilALogoutEndsItOnTheServer() {
        try (Browser b = new Browser()) {
            var d = b.driver;
            d.get(base + "/login");
            d.findElement(By.id("username")).sendKeys(FakeHomerApi.VIEWER);
            d.findElement(By.id("password")).sendKeys(FakeHomerApi.VIEWER_PASSWORD, Keys.ENTER);
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.logout")));
            String first = d.getWindowHandle();
            assertThat((String) js(d, "return document.cookie")).contains(FakeHomerApi.CSRF_COOKIE + "=")
                    .doesNotContain(FakeHomerApi.SESSION_COOKIE);
            assertThat((String) js(d, "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"))
                    .doesNotContain(FakeHomerApi.VIEWER_TOKEN);

            // a new tab (a Ctrl-click, a bookmark) is logged in already
            d.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            d.get(base + "/dashboard");
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.logout")));
            assertThat(d.getCurrentUrl()).endsWith("/dashboard");

            d.findElement(By.cssSelector("button.logout")).click();
            waiting(d).until(ExpectedConditions.urlContains("/login"));
            assertThat(api.loggedOut()).containsOnly(FakeHomerApi.VIEWER_TOKEN);
            assertThat(api.csrfRefusals()).isEmpty();
            assertThat((String) js(d, "return document.cookie")).doesNotContain(FakeHomerApi.CSRF_COOKIE);

            // the first tab's session is gone too
            d.switchTo().window(first);
            d.get(base + "/dashboard");
            waiting(d).until(ExpectedConditions.urlContains("/login"));
            assertThat(b.alerts()).isEmpty();
        }
    }

    @Test
    @Order(18)
    void theHeaderCountsFiringAlertsThePageListsThemAndEachOpensItsSearchAndDashboard() {
        var d = engineer.driver;
        d.get(base + "/");
        // The badge: homer-api's count of firing alerts, on the Alerts link of every page.
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-count"), "2"));
        d.findElement(By.linkText("Alerts 2")).click();
        waiting(d).until(ExpectedConditions.urlContains("/alerts"));
        List<WebElement> firing = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#alerts-firing tbody tr"), 2));
        assertThat(firing.get(0).getText()).contains("HepNodeSessionDefects").contains("25 session defects on " + FakeHomerApi.ALERT_NODE)
                .contains("warning").contains("firing");
        assertThat(firing.get(1).getText()).contains("HepCollectorDown").contains("critical").contains("hep-ingest-1:9096");
        // a collector's alert names no node: no dashboard link
        assertThat(firing.get(1).findElements(By.linkText("Dashboard"))).isEmpty();
        List<WebElement> history = d.findElements(By.cssSelector("#alerts-history tbody tr"));
        assertThat(history).hasSize(1);
        assertThat(history.get(0).getText()).contains("HepSipScanner").doesNotContain("firing");
        assertThat(d.findElement(By.cssSelector("#alerts h2")).getText()).isEqualTo("Firing (2)");
        engineer.screenshot("alerts");

        // The session defects' search: its window (from 15 minutes before its start to now), node, status class, method.
        firing.get(0).findElement(By.linkText("Search")).click();
        waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("search-button")));
        String url = d.getCurrentUrl();
        assertThat(url).contains("view=messages").contains("range=custom").contains("node=" + FakeHomerApi.ALERT_NODE)
                .contains("status=5xx").contains("method=INVITE");
        var params = new io.netty.handler.codec.http.QueryStringDecoder(url).parameters();
        java.time.Instant from = java.time.Instant.parse(params.get("from").get(0));
        java.time.Instant to = java.time.Instant.parse(params.get("to").get(0));
        assertThat(Duration.between(from, to)).isBetween(Duration.ofMinutes(24), Duration.ofMinutes(27));
        assertThat(d.findElement(By.id("f-node")).getAttribute("value")).isEqualTo(FakeHomerApi.ALERT_NODE);
        assertThat(d.findElement(By.id("f-status")).getAttribute("value")).isEqualTo("5xx");
        assertThat(d.findElement(By.id("f-method")).getAttribute("value")).isEqualTo("INVITE");
        assertThat(d.findElement(By.id("range")).getAttribute("value")).isEqualTo("custom");

        // Its node's dashboard over the same window.
        d.navigate().back();
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#alerts-firing tbody tr"), 2))
                .get(0).findElement(By.linkText("Dashboard")).click();
        waiting(d).until(ExpectedConditions.urlContains("/dashboard"));
        assertThat(d.getCurrentUrl()).contains("node=" + FakeHomerApi.ALERT_NODE).contains("range=custom");
        waiting(d).until(ExpectedConditions.attributeToBe(By.id("d-node"), "value", FakeHomerApi.ALERT_NODE));
        assertThat(engineer.cspViolations()).isEmpty();
    }

    @Test
    @Order(18)
    void theAlertsPageFiltersBySeverityStateNodeAndRangeKeptInTheUrl() {
        var d = engineer.driver;
        d.get(base + "/alerts");
        waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#alerts-firing tbody tr"), 2));
        assertThat(d.findElement(By.id("range")).getAttribute("value")).as("the last 24 h by default").isEqualTo("24h");
        // critical only: the collector that is down, nothing resolved
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("a-severity"))).selectByValue("critical");
        d.findElement(By.id("alerts-button")).click();
        waiting(d).until(ExpectedConditions.urlContains("severity=critical"));
        List<WebElement> firing = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#alerts-firing tbody tr"), 1));
        assertThat(firing.get(0).getText()).contains("HepCollectorDown");
        assertThat(d.findElement(By.cssSelector("#alerts h2")).getText()).isEqualTo("Firing (1 of 2)");
        assertThat(d.findElements(By.cssSelector("#alerts-history tbody tr"))).isEmpty();
        assertThat(lastAlertList()).contains("severity=critical");
        // the resolved alerts of one node: the scanner, two hours ago; no firing section
        d.get(base + "/alerts?range=24h&state=resolved&node=" + FakeHomerApi.ALERT_NODE);
        List<WebElement> history = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#alerts-history tbody tr"), 1));
        assertThat(history.get(0).getText()).contains("HepSipScanner");
        assertThat(d.findElements(By.id("alerts-firing"))).isEmpty();
        assertThat(d.findElement(By.id("a-node")).getAttribute("value")).isEqualTo(FakeHomerApi.ALERT_NODE);
        assertThat(d.findElement(By.id("a-state")).getAttribute("value")).isEqualTo("resolved");
        // the last hour: the scanner ended before it
        new org.openqa.selenium.support.ui.Select(d.findElement(By.id("range"))).selectByValue("1h");
        d.findElement(By.id("alerts-button")).click();
        waiting(d).until(ExpectedConditions.urlContains("range=1h"));
        waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts"), "No alert that matches the filters resolved"));
        var params = new io.netty.handler.codec.http.QueryStringDecoder(lastAlertList()).parameters();
        assertThat(Duration.between(java.time.Instant.parse(params.get("from").get(0)), java.time.Instant.parse(params.get("to").get(0))))
                .isEqualTo(Duration.ofHours(1));
        assertThat(params.get("node")).containsExactly(FakeHomerApi.ALERT_NODE);
        assertAccessible(engineer, "alerts");
        assertThat(engineer.cspViolations()).isEmpty();
    }

    /** The last alert list the page asked for (the header's badge asks with limit=1). */
    private static String lastAlertList() {
        List<String> lists = api.alertQueries.stream().filter(u -> u.contains("limit=500")).toList();
        return lists.get(lists.size() - 1);
    }

    /** No serious or critical violation of axe-core's rules on the page (or frame) shown. */
    static void assertAccessible(Browser b, String page) {
        assertThat(b.accessibilityViolations()).as("accessibility of the %s page", page).isEmpty();
    }

    /** A fresh browser of the given width, logged in as the admin. */
    static Browser loggedIn(int width) {
        Browser b = new Browser();
        b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
        b.driver.get(base + "/login");
        b.driver.findElement(By.id("username")).sendKeys(FakeHomerApi.USER);
        b.driver.findElement(By.id("password")).sendKeys(FakeHomerApi.PASSWORD, Keys.ENTER);
        waiting(b.driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button.logout")));
        return b;
    }

    static String callUrl(String callId, String query) {
        return base + "/call/" + URLEncoder.encode(callId, StandardCharsets.UTF_8) + query;
    }

    static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    @Test
    @Order(19)
    void drawsFailuresApartAndMarksSdpRetransmissionsAndRequestsWithoutAResponse() {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            d.get(callUrl(FakeHomerApi.FAILED_CALL, ""));
            List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("svg.ladder g.arrow"), api.messageCount(FakeHomerApi.FAILED_CALL)));
            assertThat(arrows).extracting(a -> a.findElement(By.cssSelector("text.label")).getText()).containsExactly(
                    "INVITE", "407 Proxy Authentication Requir…", "ACK", "INVITE", "100 Trying",
                    "INVITE", "INVITE (retransmission 1)", "INVITE (retransmission 2)", "INVITE (retransmission 3)",
                    "INVITE", "183 Session Progress", "603 Decline", "ACK", "503 Service Unavailable", "ACK");
            // The marks under each arrow, in words: the failure's class, the SDP (codec, direction), how often a
            // request was sent and that it never got an answer; nothing under the others.
            assertThat(arrows).extracting(a -> a.findElements(By.cssSelector("text.notes")).stream().map(WebElement::getText).findFirst().orElse(""))
                    .containsExactly("SDP PCMU", "client error", "", "SDP PCMU", "",
                            "SDP PCMU · sent 4× · no response", "SDP PCMU", "SDP PCMU", "SDP PCMU",
                            "SDP PCMU", "SDP PCMA sendonly", "global failure", "", "server error", "");
            assertThat(d.findElements(By.cssSelector("svg.ladder g.arrow.retrans"))).hasSize(3);
            assertThat(arrows.get(5).getAttribute("aria-label")).contains("sent 4×, no response");
            assertThat(arrows.get(13).getAttribute("aria-label")).contains("server error");

            // 4xx, 5xx and 6xx each in its own colour, none the colour of a request; provisional responses lighter.
            java.util.function.Function<WebElement, String> stroke = a -> (String) js(d,
                    "return getComputedStyle(arguments[0].querySelector('.shaft')).stroke", a);
            java.util.function.Function<WebElement, String> tint = a -> (String) js(d,
                    "return getComputedStyle(arguments[0].querySelector('.hit')).fill", a);
            assertThat(List.of(stroke.apply(arrows.get(1)), stroke.apply(arrows.get(13)), stroke.apply(arrows.get(11)), stroke.apply(arrows.get(0))))
                    .doesNotHaveDuplicates();
            assertThat(List.of(tint.apply(arrows.get(1)), tint.apply(arrows.get(13)), tint.apply(arrows.get(11)), tint.apply(arrows.get(0))))
                    .doesNotHaveDuplicates();
            assertThat(arrows.get(1).getAttribute("class")).contains("st-4xx", "failure");
            assertThat(arrows.get(13).getAttribute("class")).contains("st-5xx", "failure");
            assertThat(arrows.get(11).getAttribute("class")).contains("st-6xx", "failure");
            java.util.function.Function<WebElement, Double> opacity = a -> Double.valueOf((String) js(d,
                    "return getComputedStyle(arguments[0].querySelector('text.label')).opacity", a));
            assertThat(opacity.apply(arrows.get(4))).isLessThan(1.0);
            assertThat(opacity.apply(arrows.get(10))).isLessThan(1.0);
            assertThat(opacity.apply(arrows.get(13))).isEqualTo(1.0);
            assertThat(opacity.apply(arrows.get(0))).isEqualTo(1.0);
            // the message pane beside the ladder at 1400 px: it covers no column
            arrows.get(13).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "SIP/2.0 503 Service Unavailable"));
            assertThat(d.findElement(By.cssSelector(".flow")).getAttribute("class")).doesNotContain("stacked");
            assertWholeLadderVisible(d);
            assertThat(d.findElement(By.id("detail")).getRect().getX())
                    .isGreaterThanOrEqualTo(d.findElement(By.cssSelector(".ladder-scroll")).getRect().getX()
                            + d.findElement(By.cssSelector(".ladder-scroll")).getRect().getWidth());
            b.screenshot("ladder-failures");
            assertAccessible(b, "failed call's ladder");
            assertThat(b.cspViolations()).isEmpty();
        }
    }

    /** The ladder's scroll box shows all of the diagram's width: the last column is not cut. */
    static void assertWholeLadderVisible(WebDriver d) {
        WebElement scroll = d.findElement(By.cssSelector(".ladder-scroll"));
        long scrollWidth = (Long) js(d, "return arguments[0].scrollWidth", scroll);
        long clientWidth = (Long) js(d, "return arguments[0].clientWidth", scroll);
        assertThat(scrollWidth).as("ladder width %d shown in %d", scrollWidth, clientWidth).isLessThanOrEqualTo(clientWidth);
    }

    @Test
    @Order(20)
    void eachCallTabHasItsOwnUrl() {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            d.get(callUrl(FakeHomerApi.CALL, "?from=x"));
            waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg.ladder g.arrow")));
            assertThat(d.getCurrentUrl()).doesNotContain("tab=");
            // each page's title says what it shows, so that tabs differ
            assertThat(d.getTitle()).isEqualTo("Call " + FakeHomerApi.CALL + " — hepstack");
            d.findElement(By.id("tab-messages")).click();
            waiting(d).until(ExpectedConditions.urlContains("tab=messages"));
            assertThat(d.getCurrentUrl()).contains("from=x");
            // the linked tab opens as it was left, after a reload and from a pasted link
            d.navigate().refresh();
            waiting(d).until(ExpectedConditions.attributeToBe(By.id("tab-messages"), "aria-selected", "true"));
            assertThat(d.findElement(By.id("panel-messages")).isDisplayed()).isTrue();
            assertThat(d.findElement(By.id("panel-flow")).isDisplayed()).isFalse();
            // in the messages tab too, a message opens under its row
            WebElement row = d.findElements(By.cssSelector("#call-messages tbody tr")).get(2);
            row.findElement(By.cssSelector("td:first-child button")).click();
            WebElement under = waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#call-messages tr.detail-row")));
            assertThat(js(d, "return arguments[0].previousElementSibling === arguments[1]", under, row)).isEqualTo(true);
            assertThat(under.getText()).contains("INVITE sip:bob@192.0.2.30 SIP/2.0");
            d.get(callUrl(FakeHomerApi.CALL, "?tab=logs"));
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("panel-logs"), "routing INVITE"));
            assertThat(d.findElement(By.id("tab-logs")).getAttribute("aria-selected")).isEqualTo("true");
            // keyboard: ← goes to the QoS tab and its URL
            d.findElement(By.id("tab-logs")).sendKeys(Keys.ARROW_LEFT);
            waiting(d).until(ExpectedConditions.urlContains("tab=qos"));
            d.findElement(By.id("tab-flow")).click();
            waiting(d).until(x -> !x.getCurrentUrl().contains("tab="));
            d.findElement(By.cssSelector(".mainnav a[href='/dashboard']")).click();
            waiting(d).until(ExpectedConditions.titleIs("Dashboard — hepstack"));
            d.get(base + "/admin/aliases");
            waiting(d).until(ExpectedConditions.titleIs("Host aliases (admin) — hepstack"));
            d.get(base + "/?view=calls");
            waiting(d).until(ExpectedConditions.titleIs("Search — hepstack"));
            // a tab that does not exist shows the ladder
            d.get(callUrl(FakeHomerApi.CALL, "?tab=nonsense"));
            waiting(d).until(ExpectedConditions.attributeToBe(By.id("tab-flow"), "aria-selected", "true"));
        }
    }

    @Test
    @Order(21)
    void copiesTheRawMessageAndStacksItsPaneUnderTheLadderAt1024Px() throws IOException {
        try (Browser b = loggedIn(1024)) {
            var d = b.driver;
            d.get(callUrl(FakeHomerApi.FAILED_CALL, ""));
            List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("svg.ladder g.arrow"), api.messageCount(FakeHomerApi.FAILED_CALL)));
            waiting(d).until(ExpectedConditions.attributeContains(By.cssSelector(".flow"), "class", "stacked"));
            arrows.get(10).sendKeys(Keys.ENTER);
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail"), "SIP/2.0 183 Session Progress"));
            // all four columns visible, the message below the ladder
            assertWholeLadderVisible(d);
            var ladder = d.findElement(By.cssSelector(".ladder-scroll")).getRect();
            assertThat(d.findElement(By.id("detail")).getRect().getY()).isGreaterThanOrEqualTo(ladder.getY() + ladder.getHeight());
            b.screenshot("ladder-stacked");
            assertAccessible(b, "ladder at 1024 px");

            // Copy raw message: the text as captured, CRLF and SDP included (the clipboard is recorded, not read:
            // reading it needs a permission prompt)
            js(d, "window.__copied = null; navigator.clipboard.writeText = (t) => { window.__copied = t; return Promise.resolve(); };");
            d.findElement(By.cssSelector("#detail button.copy-raw")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail .copied"), "Copied."));
            // compared as JSON: WebDriver hands strings back with their CR LF turned into LF
            assertThat(js(d, "return JSON.stringify(window.__copied)"))
                    .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(api.raw(FakeHomerApi.FAILED_CALL, 10)));
            // refused by the browser: the text is selected for Ctrl+C instead
            js(d, "navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));");
            d.findElement(By.cssSelector("#detail button.copy-raw")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail .copied"), "press Ctrl+C"));
            assertThat((String) js(d, "return String(getSelection())")).startsWith("SIP/2.0 183 Session Progress").contains("a=sendonly");

            // widened to 1400 px, the pane goes beside the ladder again
            d.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
            waiting(d).until(x -> !x.findElement(By.cssSelector(".flow")).getAttribute("class").contains("stacked"));
            assertWholeLadderVisible(d);
        }
    }

    @Test
    @Order(22)
    void showsEveryTimeInTheZoneTheUserChoseAndRemembersItPerUser() throws Exception {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            String browserZone = (String) js(d, "return Intl.DateTimeFormat().resolvedOptions().timeZone");
            // a zone without summer time and half an hour off (as the browser lists it: ICU's canonical names), so the test holds on any date and is not the browser's
            ZoneId darwin = ZoneId.of("Australia/Darwin");
            assertThat(browserZone).isNotEqualTo(darwin.getId());
            String ts = api.timestamp(FakeHomerApi.CALL, 0);
            Instant first = Instant.parse(ts);
            DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
            DateTimeFormatter full = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

            d.get(callUrl(FakeHomerApi.CALL, ""));
            waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg.ladder g.arrow")));
            assertThat(new org.openqa.selenium.support.ui.Select(d.findElement(By.id("time-zone"))).getFirstSelectedOption().getAttribute("value"))
                    .isEqualTo("local");
            assertThat(d.findElement(By.cssSelector("svg.ladder g.arrow text.ts")).getText())
                    .isEqualTo(clock.format(first.atZone(ZoneId.of(browserZone))));
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("time-zone"))).selectByValue(darwin.getId());
            // the page is shown again in the zone chosen: the ladder's times (microseconds), its zone, the message's time
            waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("svg.ladder g.arrow text.ts"), clock.format(first.atZone(darwin))));
            assertThat(d.findElement(By.cssSelector("svg.ladder text.zone:nth-of-type(2)")).getText()).isEqualTo("Australia/Darwin");
            d.findElement(By.cssSelector("svg.ladder g.arrow")).click();
            waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("#detail dl.meta time"), full.format(first.atZone(darwin)) + " GMT+9:30"));
            // remembered across a reload
            d.navigate().refresh();
            waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("svg.ladder g.arrow text.ts"), clock.format(first.atZone(darwin))));
            // the messages tab (milliseconds, the zone named)
            d.findElement(By.id("tab-messages")).click();
            assertThat(d.findElement(By.cssSelector("#panel-messages tbody tr td")).getText())
                    .isEqualTo(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").format(first.atZone(darwin)) + " GMT+9:30");

            // the custom range is entered and shown in the zone too
            d.get(base + "/?view=calls&range=custom&from=2026-01-01T04:30:15.000Z&to=2026-01-01T05:30:00.000Z");
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.id("search-summary"))).click();
            assertThat(d.findElement(By.id("from")).getAttribute("value")).isEqualTo("2026-01-01T14:00:15");
            assertThat(d.findElement(By.id("range-zone")).getText()).isEqualTo("Australia/Darwin, GMT+9:30");
            js(d, "document.getElementById('from').value = '2026-02-01T09:15:00'");
            d.findElement(By.id("search-button")).click();
            waiting(d).until(x -> java.net.URLDecoder.decode(x.getCurrentUrl(), StandardCharsets.UTF_8).contains("from=2026-01-31T23:45:00.000Z"));

            // a chart's time axis around a single point spans two minutes, not years
            Object span = ((JavascriptExecutor) d).executeAsyncScript("const done = arguments[0];"
                    + "import('/js/time.js').then((t) => { const r = t.timeAxis({}).x.range(null, 1700000000, 1700000000); done(r[1] - r[0]); });");
            assertThat(((Number) span).longValue()).isEqualTo(120);

            // another user of this browser keeps their own setting: the browser's zone
            d.findElement(By.cssSelector("button.logout")).click();
            waiting(d).until(ExpectedConditions.urlContains("/login"));
            d.findElement(By.id("username")).sendKeys(FakeHomerApi.VIEWER);
            d.findElement(By.id("password")).sendKeys(FakeHomerApi.VIEWER_PASSWORD, Keys.ENTER);
            waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("time-zone")));
            d.get(callUrl(FakeHomerApi.CALL, ""));
            waiting(d).until(ExpectedConditions.textToBe(By.cssSelector("svg.ladder g.arrow text.ts"), clock.format(first.atZone(ZoneId.of(browserZone)))));
            assertThat(new org.openqa.selenium.support.ui.Select(d.findElement(By.id("time-zone"))).getFirstSelectedOption().getAttribute("value"))
                    .isEqualTo("local");
        }
    }

    static List<String> hostNames(WebDriver d) {
        return d.findElements(By.cssSelector("svg.ladder .host-name")).stream().map(WebElement::getText).toList();
    }

    static int arrowCount(WebDriver d) {
        return d.findElements(By.cssSelector("svg.ladder g.arrow")).size();
    }

    @Test
    @Order(23)
    void filtersTheLadderByLegHostPayloadAndMethodFoldsItAndMergesPorts() {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            d.get(callUrl(FakeHomerApi.FAILED_CALL, ""));
            int all = api.messageCount(FakeHomerApi.FAILED_CALL);
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), all));
            // bob-pbx answered on a second port: a column of its own until merged
            assertThat(hostNames(d)).containsExactly("alice-phone", "kamailio-edge", "bob-pbx", "192.0.2.30");

            // Compact: no retransmission (3) and no provisional response (100, 183); the count stays on the first
            // transmission. Kept in the URL, so a reload keeps it; the checkbox keeps the keyboard focus.
            d.findElement(By.id("ladder-compact")).sendKeys(Keys.SPACE);
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), all - 5));
            assertThat(d.switchTo().activeElement().getAttribute("id")).isEqualTo("ladder-compact");
            assertThat(d.findElements(By.cssSelector("svg.ladder g.arrow text.notes"))).extracting(WebElement::getText)
                    .contains("SDP PCMU · sent 4× · no response");
            assertThat(d.findElements(By.cssSelector("svg.ladder g.arrow.retrans, svg.ladder g.arrow.prov"))).isEmpty();
            assertThat(d.getCurrentUrl()).contains("compact=1");
            d.navigate().refresh();
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), all - 5));
            assertThat(d.findElement(By.id("ladder-compact")).isSelected()).isTrue();
            d.findElement(By.id("ladder-compact")).click();
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), all));

            // One leg: its four messages between its two columns.
            var leg = new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-leg")));
            leg.selectByValue(FakeHomerApi.FAILED_C);
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), 4));
            assertThat(hostNames(d)).containsExactly("kamailio-edge", "192.0.2.30");
            assertThat(d.getCurrentUrl()).contains("leg=");
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-leg"))).selectByValue("");

            // One host (by its alias): the messages from or to its address, on either port.
            var host = new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-host")));
            assertThat(host.getOptions()).extracting(WebElement::getText).contains("bob-pbx (192.0.2.30)");
            host.selectByValue("192.0.2.30");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), 8));
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-host"))).selectByValue("");

            // One method: its requests and the responses to them.
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-method"))).selectByValue("ACK");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.ladder g.arrow"), 3));
            assertThat(d.findElements(By.cssSelector("svg.ladder g.arrow text.label"))).extracting(WebElement::getText).containsOnly("ACK");
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-method"))).selectByValue("");

            // Payload type by name (the API's): every message of this call is SIP.
            var payload = new org.openqa.selenium.support.ui.Select(d.findElement(By.id("ladder-payload")));
            assertThat(payload.getOptions()).extracting(WebElement::getText).containsExactly("All", "SIP");
            payload.selectByVisibleText("SIP");
            waiting(d).until(ExpectedConditions.urlContains("payload=1"));
            assertThat(arrowCount(d)).isEqualTo(all);

            // Merge ports: one column per address, its ports listed.
            d.findElement(By.id("ladder-merge")).click();
            waiting(d).until(x -> hostNames(x).size() == 3);
            assertThat(hostNames(d)).containsExactly("alice-phone", "kamailio-edge", "bob-pbx");
            assertThat(d.findElements(By.cssSelector("svg.ladder .host-addr"))).extracting(WebElement::getText)
                    .containsExactly("192.0.2.10:5060", "192.0.2.20:5060", "192.0.2.30:5060,5062");
            assertThat(arrowCount(d)).isEqualTo(all);
            b.screenshot("ladder-filters");
            assertAccessible(b, "ladder filters");
            assertThat(b.cspViolations()).isEmpty();
        }
    }

    @Test
    @Order(24)
    void comparesTwoMessagesLineByLine() {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            d.get(callUrl(FakeHomerApi.FAILED_CALL, ""));
            List<WebElement> arrows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("svg.ladder g.arrow"), api.messageCount(FakeHomerApi.FAILED_CALL)));
            // the challenged INVITE, then by keyboard "Compare with…" and the INVITE sent again with credentials' CSeq
            arrows.get(0).sendKeys(Keys.ENTER);
            WebElement compare = waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#detail button.compare")));
            compare.sendKeys(Keys.ENTER);
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail .compare-hint"), "Now select the message"));
            arrows.get(3).sendKeys(Keys.ENTER);
            waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail pre.diff")));
            // only what differs is marked: the Via branch and the CSeq; the rest (SDP body included) is common
            assertThat(d.findElements(By.cssSelector("#detail pre.diff .del"))).extracting(WebElement::getText)
                    .containsExactly("− Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-f1", "− CSeq: 1 INVITE");
            assertThat(d.findElements(By.cssSelector("#detail pre.diff .add"))).extracting(WebElement::getText)
                    .containsExactly("+ Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-f2", "+ CSeq: 2 INVITE");
            assertThat(d.findElements(By.cssSelector("#detail pre.diff .diff-line"))).extracting(WebElement::getText)
                    .contains("  m=audio 40000 RTP/AVP 0 8", "  Call-ID: " + FakeHomerApi.FAILED_CALL);
            assertThat(d.findElement(By.cssSelector("#detail [role=status]")).getText()).isEqualTo("2 lines only in −, 2 only in +.");
            b.screenshot("compare");
            assertAccessible(b, "compared messages");
            // back to the second message alone
            d.findElement(By.cssSelector("#detail button.compare-close")).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail pre.sip"), "CSeq: 2 INVITE"));

            // a retransmission is the same message
            arrows.get(5).click();
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#detail button.compare"))).click();
            arrows.get(6).click();
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail [role=status]"), "The two messages are identical."));
            assertThat(d.findElements(By.cssSelector("#detail pre.diff .del, #detail pre.diff .add"))).isEmpty();
            assertThat(b.cspViolations()).isEmpty();
        }
    }

    /** The Call-IDs of the rows shown (not hidden) in a live table. */
    static List<String> shownRows(WebDriver d, String table) {
        return d.findElements(By.cssSelector("#" + table + " tbody tr")).stream().filter(WebElement::isDisplayed)
                .map(r -> r.getAttribute("data-call-id") != null ? r.getAttribute("data-call-id") : r.findElement(By.cssSelector("td:last-child")).getText())
                .toList();
    }

    @Test
    @Order(25)
    void showsCallsRegistrationsOptionsOrOtherTrafficAloneInTheLiveView() {
        var items = api.liveItems();
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            d.get(base + "/live?traffic=registrations");
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-count"), items.size() + " received"));
            // every message is received and counted; only the registration is shown, with its method and addresses
            assertThat(shownRows(d, "live-calls")).containsExactly(FakeHomerApi.REGISTRATION);
            WebElement reg = d.findElement(By.cssSelector("#live-calls tr[data-call-id='" + FakeHomerApi.REGISTRATION + "']"));
            assertThat(reg.findElement(By.cssSelector("td.method")).getText()).isEqualTo("REGISTER");
            assertThat(reg.findElement(By.cssSelector("td.address")).getText()).isEqualTo("192.0.2.10:5060 → 192.0.2.20:5060");
            assertThat(d.findElement(By.id("live-traffic-registrations")).getAttribute("aria-pressed")).isEqualTo("true");

            d.findElement(By.id("live-traffic-options")).click();
            waiting(d).until(ExpectedConditions.urlContains("traffic=options"));
            assertThat(shownRows(d, "live-calls")).containsExactly(FakeHomerApi.OPTIONS_PING);
            d.findElement(By.id("live-traffic-calls")).click();
            assertThat(shownRows(d, "live-calls")).containsExactlyInAnyOrder(FakeHomerApi.CALL, FakeHomerApi.B_LEG);
            d.findElement(By.id("live-traffic-other")).click();
            assertThat(shownRows(d, "live-calls")).isEmpty();
            // the messages view shows the same traffic: the ping and its answer
            d.findElement(By.id("live-traffic-options")).click();
            d.findElement(By.id("live-view-messages")).click();
            assertThat(shownRows(d, "live-messages")).containsExactly(FakeHomerApi.OPTIONS_PING, FakeHomerApi.OPTIONS_PING);
            d.findElement(By.id("live-traffic-all")).click();
            waiting(d).until(x -> !x.getCurrentUrl().contains("traffic="));
            assertThat(shownRows(d, "live-messages")).hasSize(items.size());
            assertAccessible(b, "live traffic");
        }
    }

    @Test
    @Order(26)
    void theRegistrationsPageListsBindingsFailingFirstFiltersThemAndOpensOneAorsHistory() {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            // linked from the dashboard (and the navigation)
            d.get(base + "/dashboard");
            waiting(d).until(ExpectedConditions.elementToBeClickable(By.id("dashboard-registrations"))).click();
            waiting(d).until(ExpectedConditions.urlToBe(base + "/registrations"));
            List<WebElement> rows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#registration-list tbody tr"), 5));
            // homer-api's failing order, the state in words in its badge
            assertThat(rows).extracting(r -> r.findElement(By.cssSelector("td:first-child")).getText())
                    .containsExactly("carol@example.com", "bob@example.com", "alice@example.com", "dave@example.com", "erin@example.com");
            assertThat(rows).extracting(r -> r.findElement(By.cssSelector(".reg-state")).getText())
                    .containsExactly("failed", "challenge loop", "registered", "unregistered", "expired");
            assertThat(rows.get(0).getText()).contains("403").contains("10.1.0.11:5062").contains("phone/1.0");
            assertThat(d.findElement(By.id("registration-summary")).getText()).contains("failed 1").contains("challenge loop 1");
            assertThat(api.lastRegistrationsQuery).contains("order=failing").doesNotContain("state=");
            assertThat(d.findElement(By.cssSelector(".mainnav a[href='/registrations']")).getAttribute("aria-current")).isEqualTo("page");
            assertThat(d.getTitle()).isEqualTo("Registrations — hepstack");
            assertAccessible(b, "registrations");
            b.screenshot("registrations");

            // a filter goes to the URL and to homer-api
            new org.openqa.selenium.support.ui.Select(d.findElement(By.id("r-state"))).selectByValue("challenge_loop");
            d.findElement(By.id("r-user")).sendKeys("b*");
            d.findElement(By.id("registrations-button")).click();
            waiting(d).until(ExpectedConditions.urlContains("state=challenge_loop"));
            assertThat(d.getCurrentUrl()).contains("user=b*");
            rows = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#registration-list tbody tr"), 1));
            assertThat(api.lastRegistrationsQuery).contains("state=challenge_loop").contains("user=b*").contains("order=failing");
            assertThat(d.findElement(By.id("r-state")).getAttribute("value")).isEqualTo("challenge_loop");

            // one AoR: its binding and its REGISTER transactions, newest first
            rows.get(0).findElement(By.linkText("bob@example.com")).click();
            waiting(d).until(ExpectedConditions.urlContains("/registrations/bob%40example.com"));
            List<WebElement> history = waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#registration-history tbody tr"), 3));
            assertThat(history).allSatisfy(r -> assertThat(r.getText()).contains("challenged").contains("401 Unauthorized").contains("asked 3600 s"));
            assertThat(history).extracting(r -> r.findElement(By.cssSelector("td:last-child")).getText())
                    .containsExactly("bob-1@phones · 3", "bob-1@phones · 2", "bob-1@phones · 1");
            assertThat(d.findElements(By.cssSelector("#registration-bindings tbody tr"))).singleElement()
                    .satisfies(r -> assertThat(r.getText()).contains("challenge loop").contains("sip:bob@10.1.0.12:5062"));
            assertThat(d.getTitle()).isEqualTo("Registrations of bob@example.com — hepstack");
            assertAccessible(b, "one AoR's registrations");
            // a transaction's messages in the search; a reload of the page shows it again (homer-ui serves the route)
            d.navigate().refresh();
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#registration-history tbody tr"), 3))
                    .get(0).findElement(By.partialLinkText("bob-1@phones")).click();
            waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("search-button")));
            assertThat(d.getCurrentUrl()).contains("callId=bob-1%40phones").contains("view=messages");
            assertThat(b.cspViolations()).isEmpty();
        }
    }

    @Test
    @Order(28)
    void theSearchFoldsToOneLineAfterASearchAndOpensFromTheKeyboard() {
        try (Browser b = loggedIn(1024)) {
            var d = b.driver;
            d.get(base + "/?view=calls&range=1h&fromUser=alice");
            waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#calls-table tbody tr")));
            WebElement summary = d.findElement(By.id("search-summary"));
            // one line that says what was searched; the form folded away, the results above the fold at 1024 px
            assertThat(summary.getText()).startsWith("Calls · Last 1 h · ").contains("alice").endsWith("Edit search");
            assertThat(summary.getAttribute("aria-expanded")).isEqualTo("false");
            assertThat(summary.getAttribute("aria-controls")).isEqualTo("search-form");
            assertThat(d.findElement(By.id("search-form")).isDisplayed()).isFalse();
            assertThat(summary.getSize().getHeight()).as("one line").isLessThan(40);
            long tableTop = ((Number) js(d, "return document.getElementById('calls-table').getBoundingClientRect().top")).longValue();
            long viewport = ((Number) js(d, "return window.innerHeight")).longValue();
            assertThat(tableTop).as("the results start above the fold").isLessThan(viewport / 2);
            assertAccessible(b, "search folded");

            // Enter opens it, the focus on the range; Escape folds it, the focus back on the summary; Space opens it
            summary.sendKeys(Keys.ENTER);
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("search-form")));
            assertThat(summary.getAttribute("aria-expanded")).isEqualTo("true");
            assertThat(summary.getText()).endsWith("Hide search");
            assertThat(d.switchTo().activeElement().getAttribute("id")).isEqualTo("range");
            d.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            waiting(d).until(ExpectedConditions.invisibilityOfElementLocated(By.id("search-form")));
            assertThat(d.switchTo().activeElement().getAttribute("id")).isEqualTo("search-summary");
            assertThat(summary.getAttribute("aria-expanded")).isEqualTo("false");
            d.switchTo().activeElement().sendKeys(Keys.SPACE);
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("search-form")));
            assertAccessible(b, "search opened");
            // a new search from the keyboard folds it again, with the new criteria
            WebElement fromUser = d.findElement(By.id("f-fromUser"));
            fromUser.clear();
            fromUser.sendKeys("bob", Keys.ENTER);
            waiting(d).until(ExpectedConditions.urlContains("fromUser=bob"));
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.id("search-summary"), "bob"));
            assertThat(d.findElement(By.id("search-form")).isDisplayed()).isFalse();
            // a first visit has nothing to sum up: the form is open, no summary
            d.get(base + "/");
            waiting(d).until(ExpectedConditions.visibilityOfElementLocated(By.id("search-button")));
            assertThat(d.findElements(By.id("search-summary"))).isEmpty();
            assertThat(b.cspViolations()).isEmpty();
        }
    }

    @Test
    @Order(27)
    void theCallListIsSortedByTheApiPagedBothWaysWithItsTotalAndItsColumnsChosen() {
        try (Browser b = loggedIn(1400)) {
            var d = b.driver;
            d.get(base + "/?view=calls&range=1h");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), 2));
            // the columns the API sorts on (its calls search's sorts) are buttons; the others are not
            assertThat(d.findElements(By.cssSelector("#calls-table th button.sort"))).extracting(WebElement::getText)
                    .containsExactly("Started ▼", "From", "To", "Status", "Result", "PDD", "Duration", "MOS");
            assertThat(d.findElements(By.cssSelector("#calls-table th:not(:has(button))"))).extracting(WebElement::getText)
                    .containsExactly("Call-ID", "Msgs", "Legs");
            // a click asks the API for the order, again for the other way round
            d.findElement(By.xpath("//th/button[contains(., 'Duration')]")).click();
            waiting(d).until(ExpectedConditions.urlContains("sort=duration&order=asc"));
            waiting(d).until(d2 -> api.lastCallsQuery.contains("sort=duration&order=asc"));
            waiting(d).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#calls-table th[aria-sort=ascending]"), "Duration ▲"));
            assertThat(firstCallId(d)).isEqualTo(FakeHomerApi.XSS_CALL); // 0 ms before 30 s
            // a new search keeps the order chosen
            d.findElement(By.id("search-summary")).click();
            d.findElement(By.id("search-button")).click();
            waiting(d).until(d2 -> d2.getCurrentUrl().contains("view=calls&range=1h&sort=duration&order=asc")
                    && !d2.getCurrentUrl().contains("dir="));
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), 2));
            assertThat(firstCallId(d)).isEqualTo(FakeHomerApi.XSS_CALL);
            d.findElement(By.xpath("//th/button[contains(., 'Duration')]")).click();
            waiting(d).until(ExpectedConditions.urlContains("sort=duration&order=desc"));
            waiting(d).until(d2 -> FakeHomerApi.CALL.equals(firstCallId(d2)));
            assertThat(d.findElement(By.cssSelector("#calls-table th[aria-sort=descending]")).getText()).isEqualTo("Duration ▼");

            // one call a page: the total and the way on at the top and the bottom, forward and back
            d.get(base + "/?view=calls&range=1h&limit=1&sort=started&order=asc");
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), 1));
            assertThat(d.findElements(By.cssSelector("nav.pager .count"))).extracting(WebElement::getText)
                    .containsExactly("1 of 2 calls", "1 of 2 calls");
            assertThat(d.findElements(By.cssSelector("nav.pager .prev-page"))).isEmpty();
            assertThat(d.findElements(By.cssSelector("nav.pager .next-page"))).hasSize(2);
            String first = firstCallId(d);
            d.findElement(By.cssSelector("nav.pager-bottom .next-page")).click();
            waiting(d).until(ExpectedConditions.urlContains("cursor=offset-1"));
            waiting(d).until(d2 -> !first.equals(firstCallId(d2)));
            // the page's range is kept with its cursor (a moving "last hour" would shift it)
            assertThat(d.getCurrentUrl()).contains("range=custom");
            assertThat(d.findElements(By.cssSelector("nav.pager .next-page"))).isEmpty();
            d.findElement(By.cssSelector("nav.pager-top .prev-page")).click();
            waiting(d).until(d2 -> first.equals(firstCallId(d2)));
            assertThat(api.lastCallsQuery).contains("cursor=offset-0").contains("sort=started&order=asc");

            // the column chooser hides a column and the browser remembers it
            d.findElement(By.cssSelector("#column-chooser summary")).click();
            d.findElement(By.cssSelector("#column-chooser input[value=messageCount]")).click();
            assertThat(d.findElement(By.cssSelector("#calls-table th[data-col=messageCount]")).isDisplayed()).isFalse();
            assertThat(d.findElement(By.cssSelector("#calls-table tbody td[data-col=messageCount]")).isDisplayed()).isFalse();
            assertThat((String) js(d, "return localStorage.getItem('hepstack.calls.hiddenColumns')")).isEqualTo("[\"messageCount\"]");
            d.navigate().refresh();
            waiting(d).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#calls-table tbody tr"), 1));
            assertThat(d.findElement(By.cssSelector("#calls-table th[data-col=messageCount]")).isDisplayed()).isFalse();
            assertThat(d.findElement(By.cssSelector("#calls-table th[data-col=legs]")).isDisplayed()).isTrue();
            d.findElement(By.cssSelector("#column-chooser summary")).click();
            assertThat(d.findElement(By.cssSelector("#column-chooser input[value=messageCount]")).isSelected()).isFalse();
            d.findElement(By.cssSelector("#column-chooser input[value=messageCount]")).click();
            assertThat(d.findElement(By.cssSelector("#calls-table th[data-col=messageCount]")).isDisplayed()).isTrue();
            assertThat((String) js(d, "return localStorage.getItem('hepstack.calls.hiddenColumns')")).isEqualTo("[]");
            assertAccessible(b, "call list pages");
        }
    }

    private static String firstCallId(WebDriver d) {
        return d.findElement(By.cssSelector("#calls-table tbody tr:first-child td[data-col=callId] a")).getAttribute("textContent");
    }
}
