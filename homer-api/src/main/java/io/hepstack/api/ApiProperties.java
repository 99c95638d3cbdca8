package io.hepstack.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import io.hepstack.api.query.NumberPlan;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the API, bound from {@code homer.api.*}. The database is configured with the standard
 * {@code spring.r2dbc.*} properties, the port with {@code server.port}. Every field has a default;
 * {@code docs/api.md} documents each one.
 */
@Validated
@ConfigurationProperties("homer.api")
public record ApiProperties(
        @Valid @NotNull @DefaultValue Auth auth,
        @Valid @NotNull @DefaultValue Search search,
        @Valid @NotNull @DefaultValue Numbers numbers,
        @Valid @NotNull @DefaultValue Flow flow,
        @Valid @NotNull @DefaultValue Share share,
        @Valid @NotNull @DefaultValue Cors cors,
        @Valid @NotNull @DefaultValue Storage storage,
        @Valid @NotNull @DefaultValue Alerts alerts) {

    /** Logins, JWTs and the first admin account. */
    public record Auth(
            /** HMAC key of the JWTs (at least 32 bytes); unset: generated once and kept in the database. */
            String jwtSecret,
            /** Lifetime of a JWT issued by login. */
            @NotNull @DefaultValue("8h") Duration tokenTtl,
            /** Password of the account "admin" created at first start (HOMER_ADMIN_PASSWORD); unset: random, logged once. */
            String adminPassword,
            /** BCrypt cost of stored passwords. */
            @Min(4) @Max(31) @DefaultValue("12") int bcryptStrength,
            /** Failed logins (or password-change attempts) of one user name per window before it is refused. */
            @Min(1) @DefaultValue("10") int maxFailedLogins,
            /** Failed logins from one client address per window before it is refused. */
            @Min(1) @DefaultValue("50") int maxFailedLoginsPerAddress,
            /** How long failed logins are counted. */
            @NotNull @DefaultValue("15m") Duration failedLoginWindow,
            /** Password checks (BCrypt) running at once on a replica; more logins are answered 429. */
            @Min(1) @Max(256) @DefaultValue("4") int maxConcurrentPasswordChecks,
            /**
             * Networks of proxies and load balancers whose X-Forwarded-For names the client (homer-ui's /api
             * proxy, nginx): the login throttle counts per client address behind them.
             */
            @NotNull @DefaultValue({"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"})
            List<String> trustedProxies,
            /**
             * The browser session's cookies are always {@code Secure}; false: when the request came over TLS (directly,
             * or X-Forwarded-Proto: https from a trusted proxy). Set it behind a TLS proxy that does not say so.
             */
            @DefaultValue("false") boolean secureCookie) {

        @AssertTrue(message = "homer.api.auth.jwt-secret must be at least 32 bytes (256 bits) when set")
        boolean isSecretLongEnough() {
            return jwtSecret == null || jwtSecret.isEmpty() || jwtSecret.getBytes(StandardCharsets.UTF_8).length >= 32;
        }

        @Override
        public String toString() {
            return "Auth[jwtSecret=" + (jwtSecret == null || jwtSecret.isEmpty() ? "unset" : "set") + ", tokenTtl="
                    + tokenTtl + ", adminPassword=" + (adminPassword == null || adminPassword.isEmpty() ? "unset" : "set")
                    + ", bcryptStrength=" + bcryptStrength + ", maxFailedLogins=" + maxFailedLogins
                    + ", maxFailedLoginsPerAddress=" + maxFailedLoginsPerAddress + ", failedLoginWindow=" + failedLoginWindow
                    + ", maxConcurrentPasswordChecks=" + maxConcurrentPasswordChecks + ", trustedProxies=" + trustedProxies
                    + ", secureCookie=" + secureCookie + "]";
        }
    }

    /** Bounds of every search. */
    public record Search(
            /** Range searched when the request gives no from/to. */
            @NotNull @DefaultValue("1h") Duration defaultRange,
            /** Widest range one request may search. */
            @NotNull @DefaultValue("7d") Duration maxRange,
            @Min(1) @DefaultValue("100") int defaultLimit,
            @Min(1) @Max(10000) @DefaultValue("1000") int maxLimit,
            /** Comma-separated values one parameter may hold. */
            @Min(1) @Max(100) @DefaultValue("20") int maxValues,
            /** Characters one value may hold. */
            @Min(16) @Max(4096) @DefaultValue("256") int maxValueLength,
            /** How long after its INVITE a call's later messages (BYE) are looked for by the call list. */
            @NotNull @DefaultValue("4h") Duration callSpan,
            /** Widest range of a search with {@code text} (no index serves it). */
            @NotNull @DefaultValue("6h") Duration maxTextRange,
            /** Calls a call list counts for its total; above it, the total is the planner's estimate. */
            @Min(0) @Max(100000) @DefaultValue("1000") int exactTotal) {
    }

    /**
     * How the numbers the call list's {@code caller} and {@code callee} take are written ({@link NumberPlan}):
     * {@code +4930123}, {@code 004930123} and, in country 49, {@code 030123} are the same number.
     */
    public record Numbers(
            /** Country code of the national form (digits, e.g. 49); empty: no national form. */
            @jakarta.validation.constraints.Pattern(regexp = "[0-9]{0,8}") @NotNull @DefaultValue("") String countryCode,
            /** Dialled instead of + before a country code. */
            @jakarta.validation.constraints.Pattern(regexp = "[0-9]{0,8}") @NotNull @DefaultValue("00") String internationalPrefix,
            /** Dialled before a national number. */
            @jakarta.validation.constraints.Pattern(regexp = "[0-9]{0,8}") @NotNull @DefaultValue("0") String nationalPrefix) {

        public NumberPlan plan() {
            return new NumberPlan(countryCode, internationalPrefix, nationalPrefix);
        }
    }

    /** Call flows: correlation and the time window around a call. */
    public record Flow(
            /** Where a Call-ID is looked for when the request gives no from/to (back from now). */
            @NotNull @DefaultValue("24h") Duration locateRange,
            /** The window is widened by this much around the first and last message of the call. */
            @NotNull @DefaultValue("1h") Duration widen,
            /** Widest window of one flow. */
            @NotNull @DefaultValue("12h") Duration maxWindow,
            /** Call-IDs (legs) one flow may gather. */
            @Min(1) @Max(200) @DefaultValue("20") int maxLegs,
            /** Rounds of correlation expansion from the requested Call-ID. */
            @Min(1) @Max(10) @DefaultValue("4") int maxDepth,
            /** Messages (SIP, QoS and logs together) one flow returns at most. */
            @Min(1) @Max(100000) @DefaultValue("5000") int maxMessages,
            /** Payload bytes one flow (and each of its exports) holds at most; the flow is cut before the message crossing it. */
            @NotNull @DefaultValue("8MB") org.springframework.util.unit.DataSize maxBytes,
            /** Flows (with their exports, SIPp scenarios, media quality, share views) read at once per replica. */
            @Min(1) @Max(1000) @DefaultValue("6") int maxConcurrent,
            /** Of those, at once for one account, API token or share link. */
            @Min(1) @Max(1000) @DefaultValue("2") int maxConcurrentPerUser) {
    }

    /** Share links. */
    public record Share(
            /** Lifetime of a share link when the request names none. */
            @NotNull @DefaultValue("7d") Duration defaultTtl,
            /** Longest lifetime a share link may be given. */
            @NotNull @DefaultValue("30d") Duration maxTtl,
            /** Base URL of the UI (scheme://host[:port][/path]) that share links point to; unset: links are the path /embed/<token>. */
            @jakarta.validation.constraints.Pattern(regexp = "https?://[^\\s/?#@]+(/[^\\s?#]*)?",
                    message = "must be an absolute http(s) URL without query or fragment, e.g. https://homer.example.com")
            String publicUrl) {

        /** The address of a share link: {@code <publicUrl>/embed/<token>}, or the path alone without a public URL. */
        public String url(String token) {
            String base = publicUrl == null || publicUrl.isBlank() ? "" : publicUrl.replaceAll("/+$", "");
            return base + "/embed/" + token;
        }
    }

    /** Cross-origin access: off unless origins are listed. */
    public record Cors(@NotNull @DefaultValue List<String> allowedOrigins) {
    }

    /** Schema migration at start. */
    public record Storage(
            /** Apply the message store and API migrations at start. */
            @DefaultValue("true") boolean migrateSchema,
            /** How long start waits for the database before failing. */
            @NotNull @DefaultValue("60s") Duration startupTimeout) {
    }

    /** Alerts delivered by Alertmanager's webhook. */
    public record Alerts(
            /** A bearer secret that Alertmanager may send instead of an API token (unset or empty: API tokens only). */
            @jakarta.validation.constraints.Pattern(regexp = "|[\\x21-\\x7e]{16,256}",
                    message = "must be 16 to 256 printable characters without spaces when set") String webhookSecret,
            /** How long an alert is kept after it resolved (or after its last delivery while firing). */
            @NotNull @DefaultValue("30d") Duration retention,
            /** Alerts one delivery may carry; more: 400 (Alertmanager's webhook_configs max_alerts bounds it). */
            @Min(1) @Max(10000) @DefaultValue("1000") int maxPerDelivery,
            /** Range listed without from/to: alerts that fired or ended within it, and every firing one. */
            @NotNull @DefaultValue("24h") Duration defaultRange) {
    }
}
