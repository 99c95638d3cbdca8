package io.hepstack.api.auth;

import io.hepstack.api.ApiProperties;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * The browser's login session as cookies (docs/api.md, "Browser sessions: cookies and CSRF"): the login JWT in
 * {@value #SESSION} ({@code HttpOnly}, {@code SameSite=Strict}, path {@code /api}, so no script of the page can
 * read it), and its CSRF token in {@value #CSRF} (readable by the page's scripts, path {@code /}), which a
 * state-changing request authenticated by the cookie must echo in {@value #CSRF_HEADER}. The CSRF token is an
 * HMAC of the session cookie's value with the JWT key (a signed double submit): a site that cannot read this
 * origin's cookies cannot make it, and a token of one session is worth nothing for another. Both cookies are
 * {@code Secure} when the request came over TLS (directly, or {@code X-Forwarded-Proto: https} from a trusted
 * proxy) or {@code homer.api.auth.secure-cookie} is set.
 */
@Component
class SessionCookies {

    static final String SESSION = "hepstack_session";
    static final String CSRF = "hepstack_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final SecretKeySpec key;
    private final boolean alwaysSecure;
    private final ClientAddress addresses;

    SessionCookies(JwtKey key, ApiProperties props) {
        this.key = new SecretKeySpec(key.bytes(), "HmacSHA256");
        this.alwaysSecure = props.auth().secureCookie();
        this.addresses = new ClientAddress(props.auth().trustedProxies());
    }

    /** Sets both cookies of a new session, living until {@code expiresAt}. */
    void open(ServerHttpRequest request, ServerHttpResponse response, String jwt, Instant expiresAt) {
        Duration left = Duration.between(Instant.now(), expiresAt);
        boolean secure = alwaysSecure || addresses.overTls(request);
        response.addCookie(ResponseCookie.from(SESSION, jwt).httpOnly(true).secure(secure).sameSite("Strict")
                .path("/api").maxAge(left).build());
        response.addCookie(ResponseCookie.from(CSRF, csrfToken(jwt)).httpOnly(false).secure(secure).sameSite("Strict")
                .path("/").maxAge(left).build());
    }

    /** Ends both cookies in the browser. */
    void clear(ServerHttpRequest request, ServerHttpResponse response) {
        boolean secure = alwaysSecure || addresses.overTls(request);
        response.addCookie(ResponseCookie.from(SESSION, "").httpOnly(true).secure(secure).sameSite("Strict")
                .path("/api").maxAge(0).build());
        response.addCookie(ResponseCookie.from(CSRF, "").secure(secure).sameSite("Strict").path("/").maxAge(0).build());
    }

    /** The session cookie's value (a login JWT), or {@code null}. */
    static String session(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst(SESSION);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    /** Whether the request changes state (anything but GET, HEAD, OPTIONS and TRACE), and so needs the CSRF token. */
    static boolean changesState(ServerHttpRequest request) {
        return !SAFE.contains(request.getMethod());
    }

    /** Whether {@code header} is the CSRF token of the session cookie {@code jwt} (compared in constant time). */
    boolean csrfMatches(String jwt, String header) {
        return header != null && MessageDigest.isEqual(csrfToken(jwt).getBytes(StandardCharsets.US_ASCII),
                header.trim().getBytes(StandardCharsets.US_ASCII));
    }

    String csrfToken(String jwt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update("hepstack-csrf:".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(jwt.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
