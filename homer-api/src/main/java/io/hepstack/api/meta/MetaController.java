package io.hepstack.api.meta;

import io.hepstack.proto.model.HepPayloadType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * What the API knows of the protocols it stores, for clients that would otherwise copy it: the HEP
 * payload types of {@link HepPayloadType}. Any role; the same for every tenant.
 */
@RestController
class MetaController {

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
}
