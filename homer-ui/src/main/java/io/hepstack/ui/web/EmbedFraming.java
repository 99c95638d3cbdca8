package io.hepstack.ui.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.HtmlUtils;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who frames a request for the embed page, when the browser says so: a request for a frame
 * ({@code Sec-Fetch-Dest: iframe} or {@code frame}) names its framing page in {@code Referer}. A framer whose
 * origin {@code homer.ui.embed.allowed-origins} does not list is answered with {@link #refusedPage}, a page any
 * origin may frame that says the link may not be shown there, instead of the embed that {@code frame-ancestors}
 * would make the browser replace with its error page. A frame request without a {@code Referer} (a framer with
 * {@code referrerpolicy="no-referrer"}) names no framer: it gets the embed and {@code frame-ancestors} decides.
 */
final class EmbedFraming {

    /** The exchange attribute that marks the refused-frame page, for {@link SecurityHeaders}. */
    static final String REFUSED = EmbedFraming.class.getName() + ".refused";

    /** {@code scheme://authority} at the start of a Referer. */
    private static final java.util.regex.Pattern AUTHORITY = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s]+");

    private final List<String> allowed;

    EmbedFraming(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    /** The origin of the page framing {@code request} when it is known and not allowed; empty otherwise. */
    Optional<String> refusedFramer(ServerHttpRequest request) {
        String dest = request.getHeaders().getFirst("Sec-Fetch-Dest");
        if (!"iframe".equals(dest) && !"frame".equals(dest)) {
            return Optional.empty();
        }
        return origin(request.getHeaders().getFirst(HttpHeaders.REFERER))
                .filter(origin -> !allowed.contains(origin.toLowerCase(Locale.ROOT)));
    }

    /** {@code scheme://host[:port]} of a Referer (the port only when it is not the scheme's default), or empty. */
    static Optional<String> origin(String referer) {
        if (referer == null || referer.length() > 2048) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = AUTHORITY.matcher(referer);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(m.group()); // the origin part only: a path or query the browser sent is not ours to judge
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The page shown in a frame of {@code origin}: what happened and what to do, without the call. */
    static String refusedPage(String origin) {
        String o = HtmlUtils.htmlEscape(origin);
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>This call cannot be shown here</title>
                  <link rel="stylesheet" href="/css/app.css">
                </head>
                <body class="embedded">
                  <main id="main" class="calm" tabindex="-1">
                    <h1 id="embed-refused">This call may not be shown inside %s</h1>
                    <p>The link was shared for other sites. Ask whoever shared it to allow this site
                    (<code>homer.ui.embed.allowed-origins</code>) or to send you the link to open on its own.</p>
                  </main>
                </body>
                </html>
                """.formatted(o);
    }
}
