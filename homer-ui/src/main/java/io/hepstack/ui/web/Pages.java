package io.hepstack.ui.web;

import io.hepstack.ui.UiProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.util.Map;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The single-page app's entry documents. The engineer app answers its client-side routes
 * ({@code /}, {@code /login}, {@code /live}, {@code /dashboard}, {@code /alerts}, {@code /registrations},
 * {@code /registrations/{aor}}, {@code /call/{callId}},
 * {@code /admin}, {@code /admin/{section}}); {@code /embed/{token}} is the shared call view, or, to a frame of
 * a page whose origin may not frame it, a page that says so ({@link EmbedFraming}). {@code /ui/embed}
 * tells the share dialog which origins may frame it: {@code {"allowedOrigins": [...]}}
 * ({@code homer.ui.embed.allowed-origins}).
 */
@Configuration(proxyBeanMethods = false)
class Pages {

    @Bean
    RouterFunction<ServerResponse> pageRoutes(UiProperties properties) {
        Resource app = new ClassPathResource("static/index.html");
        Resource embed = new ClassPathResource("static/embed.html");
        EmbedFraming framing = new EmbedFraming(properties.embed().allowedOrigins());
        return route(GET("/").or(GET("/login")).or(GET("/live")).or(GET("/dashboard")).or(GET("/alerts"))
                        .or(GET("/registrations")).or(GET("/registrations/{aor}")).or(GET("/call/{callId}"))
                        .or(GET("/admin")).or(GET("/admin/{section}")), request -> page(app))
                .andRoute(GET("/embed/{token}"), request -> framing.refusedFramer(request.exchange().getRequest())
                        .map(origin -> {
                            request.exchange().getAttributes().put(EmbedFraming.REFUSED, origin);
                            return ServerResponse.status(org.springframework.http.HttpStatus.FORBIDDEN)
                                    .contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noStore())
                                    .header("Vary", "Sec-Fetch-Dest, Referer")
                                    .bodyValue(EmbedFraming.refusedPage(origin));
                        })
                        .orElseGet(() -> page(embed)))
                .andRoute(GET("/ui/embed"), request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(Map.of("allowedOrigins", properties.embed().allowedOrigins())));
    }

    private static reactor.core.publisher.Mono<ServerResponse> page(Resource resource) {
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .bodyValue(resource);
    }
}
