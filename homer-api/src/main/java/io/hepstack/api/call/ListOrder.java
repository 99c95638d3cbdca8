package io.hepstack.api.call;

import io.hepstack.api.query.CallSort;

/**
 * The order of a call list: a column and a direction ({@code sort}, {@code order}).
 *
 * @param sort      the column
 * @param ascending smallest first ({@code order=asc}), else largest first
 */
public record ListOrder(CallSort sort, boolean ascending) {

    /** The list's own order: the latest start first. */
    public static final ListOrder NEWEST_FIRST = new ListOrder(CallSort.STARTED, false);

    /** Its {@code order} value. */
    String way() {
        return ascending ? "asc" : "desc";
    }
}
