package io.hepstack.api.search;

import io.hepstack.api.query.Filter;
import io.hepstack.api.query.NumberPlan;
import io.hepstack.api.ApiProperties;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Params;
import io.hepstack.api.web.Times;
import org.springframework.util.MultiValueMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The common part of every search request, validated: time range (default the last hour, at most
 * {@code homer.api.search.max-range}), page size (default 100, at most {@code max-limit}), cursor,
 * and the filters of the allowlisted parameters. Any other parameter is refused.
 *
 * @param from    start of the range, inclusive
 * @param to      end of the range, exclusive
 * @param limit   items per page
 * @param cursor  the raw cursor, or {@code null} for the first page
 * @param filters one per given filter parameter
 */
public record SearchRequest(Instant from, Instant to, int limit, String cursor, List<Filter> filters) {

    /** Parameters every search takes besides its filters. */
    static final Set<String> COMMON = Set.of("from", "to", "limit", "cursor");

    /**
     * @param allowed the filter fields of this search
     * @throws ApiException 400 for an unknown parameter or a bad value
     */
    public static SearchRequest parse(MultiValueMap<String, String> query, Set<Filter.Field> allowed,
                                      ApiProperties.Search limits, Clock clock) {
        return parse(query, allowed, Set.of(), limits, NumberPlan.NONE, clock, Map.of());
    }

    /**
     * @param allowed          the filter fields of this search
     * @param options          other parameters it takes, read by its endpoint ({@link io.hepstack.api.query.SearchFamily#options})
     * @param numbers          how the numbers of {@code caller} and {@code callee} are written
     * @param extractedHeaders the headers the collectors extract whole ({@link Filter#of(String, Filter.Field, String, int,
     *                         int, NumberPlan, Map)}): a search of one reads no payload
     * @throws ApiException 400 for an unknown parameter or a bad value
     */
    public static SearchRequest parse(MultiValueMap<String, String> query, Set<Filter.Field> allowed, Set<String> options,
                                      ApiProperties.Search limits, NumberPlan numbers, Clock clock,
                                      Map<String, String> extractedHeaders) {
        List<Filter> filters = new ArrayList<>();
        for (String name : query.keySet()) {
            if (COMMON.contains(name) || options.contains(name)) {
                continue;
            }
            Filter.Field field = Filter.field(name);
            if (field == null || !allowed.contains(field)) {
                Set<String> names = new TreeSet<>(COMMON);
                names.addAll(options);
                allowed.forEach(f -> names.add(f.param()));
                throw ApiException.badRequest("unknown parameter " + Times.quote(name) + " (expected one of: "
                        + String.join(", ", names) + ")");
            }
            String raw = String.join(",", query.get(name));
            if (!raw.isEmpty()) {
                filters.add(Filter.of(name, field, raw, limits.maxValues(), limits.maxValueLength(), numbers, extractedHeaders));
            }
        }
        Instant[] range = range(query.getFirst("from"), query.getFirst("to"), limits.defaultRange(), limits.maxRange(), clock);
        Filter scan = filters.stream().filter(Filter::readsPayloads)
                .findFirst().orElse(null);
        if (scan != null && Duration.between(range[0], range[1]).compareTo(limits.maxTextRange()) > 0) {
            long minutes = limits.maxTextRange().toMinutes();
            throw ApiException.badRequest(scan.field().param() + ": searches at most " + (minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min")
                    + " of messages (no index serves it): narrow from/to");
        }
        return new SearchRequest(range[0], range[1], Params.limit(query.getFirst("limit"), limits.defaultLimit(), limits.maxLimit()), blankToNull(query.getFirst("cursor")),
                List.copyOf(filters));
    }

    /**
     * {@code [from, to)}: both given; or one given and the other {@code defaultRange} away (to no later
     * than now); or the last {@code defaultRange}.
     */
    public static Instant[] range(String fromParam, String toParam, Duration defaultRange, Duration maxRange, Clock clock) {
        Instant from = blankToNull(fromParam) == null ? null : Times.parse("from", fromParam);
        Instant to = blankToNull(toParam) == null ? null : Times.parse("to", toParam);
        if (from == null && to == null) {
            to = clock.instant();
            from = to.minus(defaultRange);
        } else if (from == null) {
            from = to.minus(defaultRange);
        } else if (to == null) {
            to = from.plus(defaultRange);
        }
        return Times.checkRange(from, to, maxRange);
    }


    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
