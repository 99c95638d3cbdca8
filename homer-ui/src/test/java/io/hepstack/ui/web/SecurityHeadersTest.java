package io.hepstack.ui.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.reactive.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "homer.ui.embed.allowed-origins=https://portal.example.com,http://127.0.0.2:8443",
        "homer.ui.proxy-enabled=false"})
@AutoConfigureWebTestClient
class SecurityHeadersTest {

    static final String STRICT = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Autowired
    WebTestClient web;

    @Test
    void appPageIsServedWithStrictPolicyAndRefusesFraming() {
        web.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals("Content-Security-Policy", STRICT)
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("<script type=\"module\" src=\"/js/app.js\"></script>")
                        .doesNotContain("<script>"));
    }

    @Test
    void clientSideRoutesServeTheAppPage() {
        for (String path : new String[] {"/login", "/live", "/dashboard", "/alerts", "/registrations", "/registrations/alice%40example.com",
                "/admin", "/admin/users", "/admin/shares", "/call/abc%40host"}) {
            web.get().uri(path).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectBody(String.class).value(html -> assertThat(html).contains("/js/app.js"));
        }
    }

    @Test
    void embedPageMayBeFramedByConfiguredOriginsOnly() {
        web.get().uri("/embed/x").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", STRICT.replace("frame-ancestors 'none'",
                        "frame-ancestors https://portal.example.com http://127.0.0.2:8443"))
                .expectHeader().doesNotExist("X-Frame-Options")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectBody(String.class).value(html -> assertThat(html).contains("/js/embed.js"));
    }

    @Test
    void aFrameOfAnOriginNotAllowedGetsAPageSayingSoThatAnyOriginMayFrame() {
        web.get().uri("/embed/x").header("Sec-Fetch-Dest", "iframe").header("Referer", "https://other.example.com:444/crm?x=<b>")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals("Content-Security-Policy", STRICT.replace("frame-ancestors 'none'", "frame-ancestors *"))
                .expectHeader().doesNotExist("X-Frame-Options")
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("This call may not be shown inside https://other.example.com:444</h1>")
                        .doesNotContain("/js/", "crm", "<b>"));
    }

    @Test
    void aFrameOfAnAllowedOriginOrOfNoKnownOriginAndATopLevelOpenGetTheEmbed() {
        for (String[] headers : List.of(new String[] {"iframe", "https://portal.example.com/app/calls"},
                new String[] {"iframe", "http://127.0.0.2:8443/"}, new String[] {"iframe", null},
                new String[] {"document", "https://other.example.com/"}, new String[] {"iframe", "javascript:alert(1)"})) {
            web.get().uri("/embed/x").headers(h -> {
                        h.set("Sec-Fetch-Dest", headers[0]);
                        if (headers[1] != null) {
                            h.set("Referer", headers[1]);
                        }
                    }).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("Content-Security-Policy", STRICT.replace("frame-ancestors 'none'",
                            "frame-ancestors https://portal.example.com http://127.0.0.2:8443"))
                    .expectBody(String.class).value(html -> assertThat(html).contains("/js/embed.js"));
        }
    }

    @Test
    void scriptsAndStylesAreServedWithTheirTypes() {
        web.get().uri("/js/app.js").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Type", t -> assertThat(t).startsWith("text/javascript"))
                .expectHeader().valueEquals("X-Frame-Options", "DENY").expectBody(Void.class);
        web.get().uri("/css/app.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/css").expectBody(Void.class);
    }

    @Test
    void webJarsAreServedFromOurOriginWithoutVersionInTheUrl() {
        web.get().uri("/webjars/uplot/dist/uPlot.esm.js").exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Type", t -> assertThat(t).startsWith("text/javascript"))
                .expectBody(String.class).value(js -> assertThat(js).contains("export"));
    }

    @Test
    void noStaticFileUsesInnerHtmlOrEval() throws IOException {
        List<String> files = scripts();
        assertThat(files).contains("app.js", "dom.js", "api.js", "search.js", "call.js", "flow.js", "ladder.js", "message.js", "sip.js",
                "qos.js", "time.js", "embed.js", "live.js", "dashboard.js", "admin.js", "hep.js", "admin/kit.js", "admin/users.js");
        for (String file : files) {
            web.get().uri("/js/" + file).exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class).value(js -> assertThat(js)
                            .as(file)
                            .doesNotContain(".innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"));
        }
    }

    /** Every script of the app, as paths under /js/ ("admin/users.js"). */
    static List<String> scripts() throws IOException {
        String root = new ClassPathResource("static/js/").getURL().toString();
        return Arrays.stream(new PathMatchingResourcePatternResolver().getResources("classpath:static/js/**/*.js"))
                .map(r -> {
                    try {
                        return r.getURL().toString().substring(root.length());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .sorted().toList();
    }

    @Test
    void apiIsNotAnsweredWhenTheProxyIsOff() {
        web.get().uri("/api/v1/calls").exchange()
                .expectStatus().isNotFound()
                .expectHeader().valueEquals("X-Frame-Options", "DENY").expectBody(Void.class);
    }

    @Test
    void tellsTheShareDialogWhichOriginsMayFrameTheEmbed() {
        web.get().uri("/ui/embed").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"allowedOrigins\": [\"https://portal.example.com\", \"http://127.0.0.2:8443\"]}", true);
    }
}
