package io.hepstack.proto.registration;

import io.hepstack.proto.model.CapturedMessage;
import io.hepstack.proto.model.Envelope;
import io.hepstack.proto.model.SipFields;
import io.hepstack.proto.sip.NameAddress;
import io.hepstack.proto.sip.SipMessage;
import io.hepstack.proto.sip.SipParseException;
import io.hepstack.proto.sip.SipParser;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads REGISTER transactions from stored SIP messages, and the {@link RegistrationRecord} of each binding from its
 * transactions, whatever order the messages come in and however many hops captured them: a record depends only on
 * the set of messages.
 *
 * <p>A transaction is the request and its final answer with the same Call-ID and CSeq number; each is timed by its
 * earliest copy. A request without a Contact (a query of the bindings) or whose To has no URI is no binding's and
 * left out; {@code Contact: *} is a binding of its own. A binding's state comes from its transactions with a final
 * answer in time order: a 2xx registers it until the granted expiry (or removes it, expiry 0), another final error
 * fails it, a challenge (401, 407) leaves the state as it was unless it is the second or later in a row with no
 * other answer between (then it is a challenge loop). A binding whose only answer so far is one challenge (the
 * client normally answers it at once with credentials) or none has no record yet.
 *
 * <p>Stateless; never throws for any input (payloads that do not parse leave their transaction out).
 */
public final class RegistrationRecorder {

    /**
     * The stored REGISTER rows whose payload {@link #transactions} parses, as a condition on {@code messages}' unaliased
     * columns: the requests (To, Contact, Expires) and the 2xx answers (the granted expiry). A reader may leave out
     * the other rows' payloads (challenges, errors, provisional answers are read by their columns).
     */
    public static final String PARSED_ROWS_SQL =
            "(method = 'REGISTER' OR (cseq_method = 'REGISTER' AND status >= 200 AND status < 300))";

    /** The expiry a registrar grants when neither the request nor the answer names one (RFC 3261 §10.2.1.1). */
    static final int DEFAULT_EXPIRES = 3600;

    /** Challenges in a row, with no other answer between, that make a loop. */
    static final int LOOP_CHALLENGES = 2;

    private RegistrationRecorder() {
    }

    /** The REGISTER transactions of {@code messages} that register a binding, oldest request first. */
    public static List<RegisterTransaction> transactions(List<CapturedMessage> messages) {
        List<CapturedMessage> sip = new ArrayList<>();
        for (CapturedMessage m : messages) {
            SipFields f = m.sip();
            if (f != null && f.callId() != null && f.cseq() != null && "REGISTER".equals(f.cseqMethod())) {
                sip.add(m);
            }
        }
        sip.sort(Comparator.comparingLong((CapturedMessage m) -> m.envelope().timestampMicros()));
        Map<String, Copies> byTransaction = new LinkedHashMap<>();
        for (CapturedMessage m : sip) {
            SipFields f = m.sip();
            Copies c = byTransaction.computeIfAbsent(f.callId() + ' ' + f.cseq(), k -> new Copies());
            c.rows++;
            c.nodes.add(node(m.envelope()));
            if (f.isRequest()) {
                if ("REGISTER".equals(f.method()) && c.request == null) {
                    c.request = m;
                }
            } else if (f.status() != null && f.status() >= 200 && c.answer == null) {
                c.answer = m;
            }
        }
        List<RegisterTransaction> out = new ArrayList<>();
        for (Copies c : byTransaction.values()) {
            RegisterTransaction t = transaction(c);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** The record of each binding of {@code transactions}, in the order of their first transaction. */
    public static List<RegistrationRecord> records(List<RegisterTransaction> transactions) {
        Map<RegistrationRecord.Binding, List<RegisterTransaction>> byBinding = new LinkedHashMap<>();
        List<RegisterTransaction> sorted = new ArrayList<>(transactions);
        sorted.sort(Comparator.comparingLong(RegisterTransaction::requestAt).thenComparingLong(RegisterTransaction::cseq));
        for (RegisterTransaction t : sorted) {
            byBinding.computeIfAbsent(t.binding(), k -> new ArrayList<>()).add(t);
        }
        List<RegistrationRecord> out = new ArrayList<>();
        for (List<RegisterTransaction> ts : byBinding.values()) {
            RegistrationRecord r = record(ts);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The record of one binding's transactions, oldest first; {@code null} before a state can be told. */
    private static RegistrationRecord record(List<RegisterTransaction> ts) {
        RegistrationState state = null;
        Long expiresAt = null;
        Long lastSuccess = null;
        Long lastFailure = null;
        Integer lastFailureStatus = null;
        int challenges = 0;
        int failures = 0;
        int inARow = 0;
        int rows = 0;
        Set<String> nodes = new LinkedHashSet<>();
        for (RegisterTransaction t : ts) {
            rows += t.rows();
            nodes.addAll(t.nodes());
            switch (t.outcome()) {
                case REGISTERED -> {
                    state = RegistrationState.REGISTERED;
                    expiresAt = t.answeredAt() + t.granted() * 1_000_000L;
                    lastSuccess = t.answeredAt();
                    inARow = 0;
                }
                case UNREGISTERED -> {
                    state = RegistrationState.UNREGISTERED;
                    expiresAt = null;
                    lastSuccess = t.answeredAt();
                    inARow = 0;
                }
                case CHALLENGED -> {
                    challenges++;
                    if (++inARow >= LOOP_CHALLENGES) {
                        state = RegistrationState.CHALLENGE_LOOP;
                    }
                }
                case FAILED -> {
                    state = RegistrationState.FAILED;
                    failures++;
                    lastFailure = t.answeredAt();
                    lastFailureStatus = t.status();
                    inARow = 0;
                }
                case PENDING -> {
                }
            }
        }
        if (state == null) {
            return null;
        }
        RegisterTransaction first = ts.get(0);
        RegisterTransaction last = ts.get(ts.size() - 1);
        return new RegistrationRecord(first.binding(), state, expiresAt, first.requestAt(), last.requestAt(), lastSuccess,
                lastFailure, lastFailureStatus, new RegistrationRecord.Counts(ts.size(), challenges, failures), last.target(),
                List.copyOf(nodes), rows);
    }

    private static RegisterTransaction transaction(Copies c) {
        if (c.request == null) {
            return null;
        }
        SipMessage request = parse(c.request);
        if (request == null || request.to() == null || request.to().uri() == null || request.to().uri().host() == null) {
            return null;
        }
        List<String> contacts = request.headers("Contact");
        if (contacts.isEmpty()) {
            return null;
        }
        Contact contact = Contact.parse(contacts.get(0));
        if (contact == null) {
            return null;
        }
        Integer requested = contact.expires() != null ? contact.expires() : request.expires();
        Envelope e = c.request.envelope();
        InetSocketAddress source = address(e, true);
        if (source == null) {
            return null;
        }
        String agent = c.request.sip().userAgent();
        RegistrationRecord.Binding binding = new RegistrationRecord.Binding(aor(request.to()), contact.uri(), source,
                agent == null ? "" : agent);
        Long answeredAt = null;
        Integer status = null;
        Integer granted = null;
        if (c.answer != null) {
            answeredAt = c.answer.envelope().timestampMicros();
            status = c.answer.sip().status();
            if (status >= 200 && status < 300) {
                granted = granted(parse(c.answer), contact.uri(), requested);
            }
        }
        String phrase = c.answer == null ? null : phrase(c.answer);
        return new RegisterTransaction(c.request.sip().callId(), c.request.sip().cseq(), binding, address(e, false),
                e.timestampMicros(), requested, answeredAt, status, phrase, granted, List.copyOf(c.nodes), c.rows);
    }

    /** The expiry a 2xx granted the contact {@code uri} of a request that asked for {@code requested}. */
    private static int granted(SipMessage answer, String uri, Integer requested) {
        if (requested != null && requested == 0) {
            return 0; // a removal: the answer lists the bindings left
        }
        if (answer != null) {
            for (String value : answer.headers("Contact")) {
                Contact c = Contact.parse(value);
                if (c != null && c.uri().equals(uri) && c.expires() != null) {
                    return c.expires();
                }
            }
            if (answer.expires() != null && answer.expires() >= 0) {
                return answer.expires();
            }
        }
        return requested != null ? requested : DEFAULT_EXPIRES;
    }

    /** {@code user@domain} of a To header, the domain lower-cased; the domain alone without a user. */
    static String aor(NameAddress to) {
        String host = to.uri().host().toLowerCase(Locale.ROOT);
        return to.uri().user() == null ? host : to.uri().user() + '@' + host;
    }

    /** The user part of an AoR ({@code null} for a domain alone): what {@code messages.to_user} holds. */
    public static String user(String aor) {
        int at = aor.lastIndexOf('@');
        return at < 0 ? null : aor.substring(0, at);
    }

    private static String phrase(CapturedMessage answer) {
        SipMessage parsed = parse(answer);
        return parsed == null ? null : parsed.reasonPhrase();
    }

    private static String node(Envelope e) {
        return e.node() != null ? e.node() : Long.toString(e.captureId());
    }

    private static SipMessage parse(CapturedMessage m) {
        if (m.payload() == null || m.payload().length == 0) {
            return null;
        }
        try {
            return SipParser.parse(m.payload());
        } catch (SipParseException | RuntimeException e) {
            return null;
        }
    }

    private static InetSocketAddress address(Envelope e, boolean source) {
        if (source) {
            return e.srcIp() == null ? null : new InetSocketAddress(e.srcIp(), e.srcPort());
        }
        return e.dstIp() == null ? null : new InetSocketAddress(e.dstIp(), e.dstPort());
    }

    /** A Contact value: its URI as written and its {@code expires} parameter (RFC 3261 §20.10). */
    record Contact(String uri, Integer expires) {

        /** The value {@code <sip:a@h>;expires=60}, {@code sip:a@h;expires=60} or {@code *}; {@code null} when empty. */
        static Contact parse(String value) {
            String v = value.trim();
            String uri;
            String params;
            int open = v.indexOf('<');
            int close = open < 0 ? -1 : v.indexOf('>', open);
            if (open >= 0 && close > open) {
                uri = v.substring(open + 1, close).trim();
                params = v.substring(close + 1);
            } else {
                int semi = v.indexOf(';');
                uri = (semi < 0 ? v : v.substring(0, semi)).trim();
                params = semi < 0 ? "" : v.substring(semi);
            }
            if (uri.isEmpty()) {
                return null;
            }
            Integer expires = null;
            for (String p : params.split(";")) {
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("expires")) {
                    expires = seconds(p.substring(eq + 1).trim());
                }
            }
            return new Contact(uri, expires);
        }

        /** Delta-seconds (RFC 3261 §25.1), capped at 2^31-1; {@code null} when not a number. */
        private static Integer seconds(String s) {
            String digits = s.startsWith("\"") && s.endsWith("\"") && s.length() > 1 ? s.substring(1, s.length() - 1) : s;
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return null;
            }
            return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(digits));
        }
    }

    /** The captured copies of one transaction: its request's and its final answer's earliest. */
    private static final class Copies {
        CapturedMessage request;
        CapturedMessage answer;
        int rows;
        final Set<String> nodes = new LinkedHashSet<>();
    }
}
