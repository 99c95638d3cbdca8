package io.hepstack.api.search;

import io.hepstack.api.query.SearchFamily;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link SearchRequest} handler parameter bound from the query string, checked against the filters of
 * {@link #value()} ({@link SearchArguments}); its OpenAPI parameters follow from the same family.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface SearchQuery {
    SearchFamily value();
}
