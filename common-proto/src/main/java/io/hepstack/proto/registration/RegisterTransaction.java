package io.hepstack.proto.registration;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One REGISTER transaction as captured: the request (its earliest copy, whatever the hops that mirrored it) and
 * its final answer, matched by Call-ID and CSeq number (RFC 3261 §17.1.3 by the client's view of the transaction).
 *
 * @param callId      the Call-ID
 * @param cseq        the CSeq number
 * @param binding     what it registers: the AoR, Contact, source and User-Agent of the request
 * @param target      where the request went (the registrar or the next hop): its earliest copy's destination
 * @param requestAt   the request's earliest copy, microseconds since the epoch
 * @param requested   the expiry the request asked for (its Contact's {@code expires=}, else its Expires header),
 *                    {@code null} when it names none
 * @param answeredAt  the final answer's earliest copy, {@code null} while none is stored
 * @param status      the final answer's status, {@code null} while none is stored
 * @param phrase      its reason phrase
 * @param granted     the expiry a 2xx granted the Contact, in seconds (its Contact's {@code expires=}, else its
 *                    Expires header, else what the request asked, else 3600, RFC 3261 §10.2.1.1); {@code null}
 *                    for another answer
 * @param nodes       the capture nodes of the transaction's copies
 * @param rows        the stored rows it was read from
 */
public record RegisterTransaction(String callId, long cseq, RegistrationRecord.Binding binding, InetSocketAddress target,
                                  long requestAt, Integer requested, Long answeredAt, Integer status, String phrase,
                                  Integer granted, List<String> nodes, int rows) {

    /** What a transaction's final answer means for its binding. */
    public enum Outcome {
        /** No final answer stored (yet). */
        PENDING,
        /** 2xx with an expiry above 0: the binding is registered until then. */
        REGISTERED,
        /** 2xx to a request with expiry 0: the binding is removed. */
        UNREGISTERED,
        /** 401 or 407: credentials asked for. */
        CHALLENGED,
        /** Any other final answer (3xx-6xx). */
        FAILED;

        /** {@code challenged}... */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RegisterTransaction {
        nodes = List.copyOf(nodes);
    }

    /** What its final answer means. */
    public Outcome outcome() {
        if (status == null) {
            return Outcome.PENDING;
        }
        if (status >= 200 && status < 300) {
            return granted != null && granted == 0 ? Outcome.UNREGISTERED : Outcome.REGISTERED;
        }
        return status == 401 || status == 407 ? Outcome.CHALLENGED : Outcome.FAILED;
    }
}
