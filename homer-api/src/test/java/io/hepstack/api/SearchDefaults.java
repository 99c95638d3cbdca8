package io.hepstack.api;

import org.springframework.boot.context.properties.bind.Binder;

/** The search bounds as a homer-api without settings binds them (their {@code @DefaultValue}s), for tests without Spring. */
public final class SearchDefaults {

    private SearchDefaults() {
    }

    public static ApiProperties.Search search() {
        return new Binder().bindOrCreate("homer.api.search", ApiProperties.Search.class);
    }
}
