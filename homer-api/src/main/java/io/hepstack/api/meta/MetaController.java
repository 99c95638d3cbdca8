package io.hepstack.api.meta;

import io.hepstack.api.ApiProperties;
import io.hepstack.api.auth.ApiPrincipal;
import io.hepstack.api.query.Filter;
import io.hepstack.api.store.CollectorSettings;
import io.hepstack.api.web.ApiException;
import io.hepstack.api.web.Times;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.RequestParam;
import io.hepstack.api.query.CallSort;
import io.hepstack.api.query.SearchFamily;
import io.hepstack.proto.model.HepPayloadType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What the API knows of the protocols it stores and of its own searches, for clients that would otherwise
 * copy it: the HEP payload types of {@link HepPayloadType} (no login: the shared call view shows them
 * too) and the search filters of {@link Filter.Field} with the searches that take each ({@link
 * SearchFamily}; any role). The same for every tenant.
 */
@RestController
class MetaController {

    private final JsonFields jsonFields;
    private final CollectorSettings collectors;
    /** The widest range a JSON-field sample reads: a search's. */
    private final Duration maxRange;
    private final java.time.Clock clock = java.time.Clock.systemUTC();

    MetaController(JsonFields jsonFields, CollectorSettings collectors, ApiProperties props) {
        this.collectors = collectors;
        this.jsonFields = jsonFields;
        this.maxRange = props.search().maxRange();
    }

    /** One known HEP payload type. */
    @Schema(description = "A HEP payload type (HEP3 chunk 0x000b)")
    record PayloadType(@Schema(example = "5") int number,
                       @Schema(example = "RTCP") String name,
                       @Schema(description = "the kind column its messages are stored with (SIP: by CSeq method, "
                               + "call, registration or sip_other; this is the kind of SIP that does not parse)",
                               example = "qos") String kind) {

        static PayloadType of(HepPayloadType t) {
            return new PayloadType(t.number(), t.name(), t.kind().code());
        }
    }

    record PayloadTypeList(List<PayloadType> items) {
    }

    private static final PayloadTypeList PAYLOAD_TYPES =
            new PayloadTypeList(HepPayloadType.known().stream().map(PayloadType::of).toList());

    @Operation(summary = "The known HEP payload types by number, with the name to show and the stored kind; "
            + "a number not listed is shown as \"type N\" and stored as other")
    @GetMapping("/api/v1/meta/payload-types")
    Mono<PayloadTypeList> payloadTypes() {
        return Mono.just(PAYLOAD_TYPES);
    }

    /** One search filter. */
    @Schema(description = "A search filter: a query parameter of the searches that take it")
    record SearchField(@Schema(example = "fromUser") String param,
                       @Schema(example = "From user") String label,
                       @Schema(description = "the values it takes") String syntax) {
    }

    /** One search and the filters it takes. */
    @Schema(description = "A search: messages (GET /api/v1/messages), calls (GET /api/v1/calls), stream "
            + "(GET /api/v1/stream/messages)")
    record Search(@Schema(example = "calls") String name,
                  @Schema(description = "whether it takes from, to, limit and cursor") boolean paged,
                  @Schema(description = "the params of the fields it takes") List<String> fields,
                  @Schema(description = "the columns it sorts on (sort=, with order=asc|desc), its own order first; "
                          + "empty: it has one order") List<String> sorts) {
    }

    record SearchMeta(List<SearchField> fields, List<Search> searches,
                      @Schema(description = "the headers the collectors extract whole (homer.ingest.extraction.extra-headers): "
                              + "header.NAME of one reads no payload, so no text range bounds it, and a whole value is indexed")
                      List<String> extractedHeaders) {
    }

    /** The search meta of the defaults' collectors, which extract no header. */
    static final SearchMeta SEARCH = new SearchMeta(
            Arrays.stream(Filter.Field.values()).map(f -> new SearchField(f.param(), f.label(), f.syntax())).toList(),
            Arrays.stream(SearchFamily.values()).map(s -> new Search(s.code(), s.paged(),
                    s.fields().stream().map(Filter.Field::param).toList(),
                    s.options().contains(CallSort.SORT_PARAMETER)
                            ? Arrays.stream(CallSort.values()).map(CallSort::param).toList() : List.of())).toList(),
            List.of());

    @Operation(summary = "The search filters, with their labels and syntax, and which search takes which; "
            + "a client builds its search form and live filters from it")
    @GetMapping("/api/v1/meta/search")
    Mono<SearchMeta> search() {
        return collectors.extractedHeaders()
                .map(h -> new SearchMeta(SEARCH.fields(), SEARCH.searches(), h.values().stream().sorted().toList()));
    }

    @Operation(summary = "The paths of the JSON payloads stored in a range (a sample), with the payload types that "
            + "carry each: what json.PATH searches can name")
    @GetMapping("/api/v1/meta/json-fields")
    Mono<JsonFields.JsonFieldList> jsonFields(@AuthenticationPrincipal ApiPrincipal principal,
                                              @Parameter(description = "ISO-8601 or epoch ms; default: to - 1h") @RequestParam(required = false) String from,
                                              @Parameter(description = "ISO-8601 or epoch ms; default: now") @RequestParam(required = false) String to) {
        return Mono.fromCallable(() -> Times.lookBack(from, to, Duration.ofHours(1), maxRange, clock.instant()))
                .flatMap(r -> jsonFields.sample(r[0], r[1], principal.scope()));
    }
}
