package io.hepstack.api.call;

import io.hepstack.api.query.CallSort;
import io.hepstack.api.query.Cursor;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A call list's cursor read: the call it is next to, in which order, and whether it starts the page after that
 * call or ends the page before it. Written as a {@link Cursor} of kind {@code c} whose value is
 * {@code <sort>.<asc|desc>.<after|before>.<n | v VALUE>}: a cursor is refused in another order than its own.
 *
 * @param order  the list's order
 * @param before whether the page ends before the call (a previous page), else starts after it
 * @param value  the call's value of the order's column, bound as its column's type; {@code null} when it has none
 * @param callId the call's Call-ID, the tie-breaker
 */
record Position(ListOrder order, boolean before, Object value, String callId) {

    private static final char KIND = 'c';

    /** The position after (or before) {@code row} in {@code order}. */
    static Cursor of(CallStore.Row row, ListOrder order, boolean before) {
        String text = order.sort().kind() == CallSort.Kind.TIME ? Long.toString(Times.micros(row.startedAt())) : row.sortText();
        String place = order.sort().param() + "." + order.way() + "." + (before ? "before" : "after") + "."
                + (text == null ? "n" : "v" + text);
        return new Cursor(KIND, Times.micros(row.startedAt()), place, row.callId());
    }

    /**
     * The position of a cursor of the list in {@code order}.
     *
     * @throws ApiException 400 for anything else, a cursor of another order too
     */
    static Position decode(String raw, ListOrder order) {
        Cursor c = Cursor.decode(raw, KIND, true);
        String[] place = c.value().split("\\.", 4);
        String prefix = order.sort().param() + "." + order.way() + ".";
        if (place.length != 4 || !c.value().startsWith(prefix) || !(place[2].equals("after") || place[2].equals("before"))
                || place[3].isEmpty() || (place[3].charAt(0) != 'n' && place[3].charAt(0) != 'v')
                || (place[3].charAt(0) == 'n' && (place[3].length() > 1 || order.sort() == CallSort.STARTED))) {
            throw ApiException.badRequest("cursor: not a cursor of this search (pass nextCursor or prevCursor unchanged, "
                    + "with the same sort and order)");
        }
        Object value = place[3].charAt(0) == 'n' ? null : value(place[3].substring(1), order.sort());
        return new Position(order, place[2].equals("before"), value, c.key());
    }

    /** A column's value as read from a row, as a cursor holds it. */
    static String text(Object column, CallSort sort) {
        if (column == null) {
            return null;
        }
        return switch (sort.kind()) {
            case TIME -> Long.toString(Times.micros(((OffsetDateTime) column).toInstant()));
            case REAL -> Float.toString(((Number) column).floatValue());
            case LONG, INT -> Long.toString(((Number) column).longValue());
            case TEXT -> column.toString();
        };
    }

    private static Object value(String text, CallSort sort) {
        try {
            return switch (sort.kind()) {
                case TIME -> OffsetDateTime.ofInstant(Times.ofMicros(Long.parseLong(text)), ZoneOffset.UTC);
                case LONG -> Long.parseLong(text);
                case INT -> Integer.parseInt(text);
                case REAL -> Float.parseFloat(text);
                case TEXT -> text;
            };
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor: not a cursor of this search (pass nextCursor or prevCursor unchanged)");
        }
    }
}
