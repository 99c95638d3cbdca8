package io.hepstack.api.search;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.store.CollectorSettings;
import io.hepstack.api.query.Filter;
import io.hepstack.api.query.SearchFamily;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds {@link SearchQuery} parameters once, for every search endpoint: the query string parsed and
 * checked by {@link SearchRequest#parse} against the family's filters (a 400 names what is wrong), and
 * the same family written into the endpoint's OpenAPI operation as its query parameters.
 */
@Configuration(proxyBeanMethods = false)
class SearchArguments implements WebFluxConfigurer {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(SearchRequest.class);
    }

    private final ApiProperties props;
    private final CollectorSettings collectors;
    private final Clock clock = Clock.systemUTC();

    SearchArguments(ApiProperties props, CollectorSettings collectors) {
        this.props = props;
        this.collectors = collectors;
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.hasParameterAnnotation(SearchQuery.class)
                        && parameter.getParameterType() == SearchRequest.class;
            }

            @Override
            public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
                                                ServerWebExchange exchange) {
                SearchFamily family = parameter.getParameterAnnotation(SearchQuery.class).value();
                var query = exchange.getRequest().getQueryParams();
                return collectors.extractedHeadersFor(query.keySet()).map(extracted -> SearchRequest.parse(query, family.fields(), family.options(), props.search(),
                                props.numbers().plan(), clock, extracted));
            }
        });
    }

    /** The query parameters of each {@link SearchQuery} endpoint, from its family. */
    @Bean
    OperationCustomizer searchParameters() {
        return (Operation operation, HandlerMethod method) -> {
            for (MethodParameter p : method.getMethodParameters()) {
                SearchQuery q = p.getParameterAnnotation(SearchQuery.class);
                if (q != null) {
                    describe(q.value(), props.search()).forEach(operation::addParametersItem);
                }
            }
            return operation;
        };
    }

    /** The parameters of a search of {@code family}, as OpenAPI query parameters. */
    static List<QueryParameter> describe(SearchFamily family, ApiProperties.Search limits) {
        List<QueryParameter> out = new ArrayList<>();
        if (family.paged()) {
            out.add(param("from", "start of the range, inclusive: ISO-8601 or epoch ms; default: to - "
                    + limits.defaultRange().toMinutes() + " min"));
            out.add(param("to", "end of the range, exclusive: ISO-8601 or epoch ms; default: now"));
            out.add(param("limit", "1 to homer.api.search.max-limit (" + limits.maxLimit() + "); default "
                    + limits.defaultLimit()));
            out.add(param("cursor", "nextCursor (or prevCursor) of the page before (or after)"));
        }
        if (family.options().contains(io.hepstack.api.query.CallSort.SORT_PARAMETER)) {
            out.add(param(io.hepstack.api.query.CallSort.SORT_PARAMETER, "the column the calls are ordered by: "
                    + java.util.Arrays.stream(io.hepstack.api.query.CallSort.values()).map(io.hepstack.api.query.CallSort::param)
                    .collect(java.util.stream.Collectors.joining(", ")) + "; default started"));
            out.add(param(io.hepstack.api.query.CallSort.ORDER_PARAMETER, "asc or desc (default); a call without a value comes last"));
        }
        for (Filter.Field f : family.fields()) {
            out.add(param(f.param(), f.label() + ": " + f.syntax()));
        }
        return out;
    }

    private static QueryParameter param(String name, String description) {
        QueryParameter p = new QueryParameter();
        p.setName(name);
        p.setRequired(false);
        p.setDescription(description);
        p.setSchema(new StringSchema());
        return p;
    }
}
