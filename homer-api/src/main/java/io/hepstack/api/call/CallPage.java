package io.hepstack.api.call;

import java.util.List;

/**
 * One page of the call list.
 *
 * @param items      the calls, in the list's order
 * @param nextCursor where the page after this one starts, {@code null} on the last
 * @param prevCursor where the page before this one ends, {@code null} on the first
 * @param total      the calls of the whole list: counted, or estimated when {@code totalExact} is false
 * @param totalExact whether {@code total} was counted (up to {@code homer.api.search.exact-total} calls)
 */
public record CallPage(List<CallItem> items, String nextCursor, String prevCursor, long total, boolean totalExact) {
}
