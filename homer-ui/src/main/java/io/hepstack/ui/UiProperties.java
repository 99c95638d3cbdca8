package io.hepstack.ui;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings of the web UI, bound from {@code homer.ui.*}; {@code docs/ui.md} documents each one.
 *
 * @param apiUrl         base URL of homer-api that {@code /api/**} is proxied to
 * @param proxyEnabled   whether this app proxies {@code /api/**} (off when a load balancer routes it)
 * @param connectTimeout how long the proxy waits to connect to homer-api before answering 502
 * @param embed          the embeddable call view
 */
@Validated
@ConfigurationProperties("homer.ui")
public record UiProperties(
        @NotNull @DefaultValue("http://localhost:8081") URI apiUrl,
        @DefaultValue("true") boolean proxyEnabled,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @Valid @NotNull @DefaultValue Embed embed) {

    public UiProperties {
        String scheme = apiUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || apiUrl.getHost() == null) {
            throw new IllegalArgumentException("homer.ui.api-url " + apiUrl + " (expected: http(s)://host[:port])");
        }
    }

    /**
     * The embeddable call view {@code /embed/**}.
     *
     * @param allowedOrigins origins (scheme://host[:port]) whose pages may frame {@code /embed/**};
     *                       empty means no page may ({@code frame-ancestors 'none'})
     */
    public record Embed(@NotNull @DefaultValue List<String> allowedOrigins) {

        /** What a CSP source expression for an origin may look like: no paths, quotes, spaces or semicolons. */
        private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

        public Embed {
            allowedOrigins = List.copyOf(allowedOrigins);
            for (String origin : allowedOrigins) {
                if (!ORIGIN.matcher(origin).matches()) {
                    throw new IllegalArgumentException("homer.ui.embed.allowed-origins entry '" + origin
                            + "' (expected: scheme://host[:port], e.g. https://portal.example.com)");
                }
            }
        }
    }
}
