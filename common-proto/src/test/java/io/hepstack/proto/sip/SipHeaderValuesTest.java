package io.hepstack.proto.sip;

import static io.hepstack.proto.sip.SipFixtures.inviteWith;
import static io.hepstack.proto.sip.SipFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How header values are read: name-addr, URIs, Via, credentials, lists. */
class SipHeaderValuesTest {

    static Stream<Arguments> fromHeaders() {
        return Stream.of(
                Arguments.of("<sip:alice@example.com>;tag=1",
                        new NameAddress(null, new SipUri("sip", "alice", "example.com", -1, "sip:alice@example.com"), "1")),
                Arguments.of("sip:alice@example.com;tag=1",
                        new NameAddress(null, new SipUri("sip", "alice", "example.com", -1, "sip:alice@example.com"), "1")),
                Arguments.of("Alice Smith <sip:alice@example.com:5070;transport=tcp>;tag=2",
                        new NameAddress("Alice Smith", new SipUri("sip", "alice", "example.com", 5070,
                                "sip:alice@example.com:5070;transport=tcp"), "2")),
                Arguments.of("\"Smith, \\\"Al\\\" <A>\" <sip:alice@example.com>;x=\"a;tag=no\";TAG=3",
                        new NameAddress("Smith, \"Al\" <A>",
                                new SipUri("sip", "alice", "example.com", -1, "sip:alice@example.com"), "3")),
                Arguments.of("\"\" <sips:alice:secret@example.com>",
                        new NameAddress(null, new SipUri("sips", "alice", "example.com", -1, "sips:alice:secret@example.com"), null)),
                Arguments.of("<sip:+4930123;npdi;rn=+4930999@gw.example.com;user=phone>;tag=4",
                        new NameAddress(null, new SipUri("sip", "+4930123", "gw.example.com", -1,
                                "sip:+4930123;npdi;rn=+4930999@gw.example.com;user=phone"), "4")),
                Arguments.of("<tel:+4930123456;phone-context=example.com>;tag=5",
                        new NameAddress(null, new SipUri("tel", "+4930123456", null, -1,
                                "tel:+4930123456;phone-context=example.com"), "5")),
                Arguments.of("<sip:alice@[2001:db8::1]:5061>;tag=6",
                        new NameAddress(null, new SipUri("sip", "alice", "2001:db8::1", 5061, "sip:alice@[2001:db8::1]:5061"), "6")),
                Arguments.of("<sip:[::1]>",
                        new NameAddress(null, new SipUri("sip", null, "::1", -1, "sip:[::1]"), null)),
                Arguments.of("<SIP:Alice@Example.COM:99999>",
                        new NameAddress(null, new SipUri("sip", "Alice", "Example.COM", -1, "SIP:Alice@Example.COM:99999"), null)),
                Arguments.of("<urn:service:sos>",
                        new NameAddress(null, new SipUri("urn", null, null, -1, "urn:service:sos"), null)),
                Arguments.of("Anonymous <sip:anonymous@anonymous.invalid>;tag=\"q\"",
                        new NameAddress("Anonymous", new SipUri("sip", "anonymous", "anonymous.invalid", -1,
                                "sip:anonymous@anonymous.invalid"), "q")));
    }

    @ParameterizedTest(name = "From: {0}")
    @MethodSource("fromHeaders")
    void readsNameAddrAndAddrSpecForms(String value, NameAddress expected) throws Exception {
        assertThat(parse(inviteWith("From: " + value + "\n")).from()).isEqualTo(expected);
    }

    static Stream<Arguments> vias() {
        return Stream.of(
                Arguments.of("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport", new Via("UDP", "10.0.0.1", 5060, "z9hG4bK1")),
                Arguments.of("SIP/2.0/tcp host.example.com;received=1.2.3.4;BRANCH=z9hG4bK2",
                        new Via("TCP", "host.example.com", -1, "z9hG4bK2")),
                Arguments.of("SIP / 2.0 / TLS  [2001:db8::9]:5061 ;branch=z9hG4bK3", new Via("TLS", "2001:db8::9", 5061, "z9hG4bK3")),
                Arguments.of("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK4, SIP/2.0/UDP 10.0.0.2",
                        new Via("WSS", "df7jal23ls0d.invalid", -1, "z9hG4bK4")),
                Arguments.of("SIP/2.0/UDP 10.0.0.1 : 5080", new Via("UDP", "10.0.0.1", 5080, null)),
                Arguments.of(", SIP/2.0/UDP h;branch=z9hG4bK5", new Via("UDP", "h", -1, "z9hG4bK5")),
                Arguments.of("SIP/2.0/UDP [::1;branch=z9hG4bK6", new Via("UDP", "::1", -1, "z9hG4bK6")));
    }

    @ParameterizedTest(name = "Via: {0}")
    @MethodSource("vias")
    void readsTheFirstVia(String value, Via expected) throws Exception {
        assertThat(parse(inviteWith("Via: " + value + "\n")).via()).isEqualTo(expected);
    }

    @Test
    void findsHeadersByAnyCaseAndIgnoresBlanksAroundTheName() throws Exception {
        SipMessage m = parse(inviteWith("X-CID: a\n"));

        assertThat(m.header(" x-CID ")).isEqualTo("a");
        assertThat(m.header("X-CI")).isNull();
        assertThat(m.header("\u00dc-CID")).isNull();
        assertThat(m.header("")).isNull();
    }

    @Test
    void readsTheTelRequestUriNumberAsUser() throws Exception {
        SipMessage m = parse(SipFixtures.crlf("INVITE tel:+1-201-555-0123 SIP/2.0\nCall-ID: a\nCSeq: 1 INVITE\n\n"));

        assertThat(m.requestUri()).isEqualTo(new SipUri("tel", "+1-201-555-0123", null, -1, "tel:+1-201-555-0123"));
    }

    @Test
    void readsTheUsernameOfAuthorizationThenProxyAuthorization() throws Exception {
        assertThat(parse(inviteWith("Authorization: Digest realm=\"x\", username=\"alice\", nonce=\"n,1\"\n"))
                .authorizationUser()).isEqualTo("alice");
        assertThat(parse(inviteWith("Proxy-Authorization: Digest username=bob,realm=\"x\"\n"))
                .authorizationUser()).isEqualTo("bob");
        assertThat(parse(inviteWith("Authorization: Digest realm=\"user=x\", USERNAME = \"c\\\"d\"\n"))
                .authorizationUser()).isEqualTo("c\"d");
        assertThat(parse(inviteWith("Authorization: Bearer abc\nProxy-Authorization: Digest username=\"eve\"\n"))
                .authorizationUser()).isEqualTo("eve");
    }

    @Test
    void splitsListHeadersAtTopLevelCommasOnly() throws Exception {
        SipMessage m = parse(inviteWith("""
                Contact: "Doe, John" <sip:j@h;x=a,b>;expires=60, <sip:k@h>
                Contact: sip:l@h
                Route: <sip:p1;lr>,<sip:p2;lr>
                X-Custom: a, "b,c", (d, e)
                Date: Sat, 13 Nov 2010 23:29:00 GMT
                Authorization: Digest username="a", realm="b"
                """));

        assertThat(m.headers("Contact")).containsExactly(
                "\"Doe, John\" <sip:j@h;x=a,b>;expires=60", "<sip:k@h>", "sip:l@h");
        assertThat(m.headers("m")).hasSize(3);
        assertThat(m.contact().displayName()).isEqualTo("Doe, John");
        assertThat(m.headers("route")).containsExactly("<sip:p1;lr>", "<sip:p2;lr>");
        assertThat(m.headers("X-Custom")).containsExactly("a", "\"b,c\"", "(d, e)");
        assertThat(m.headers("Date")).containsExactly("Sat, 13 Nov 2010 23:29:00 GMT");
        assertThat(m.headers("Authorization")).containsExactly("Digest username=\"a\", realm=\"b\"");
        assertThat(m.header("Contact")).isEqualTo("\"Doe, John\" <sip:j@h;x=a,b>;expires=60, <sip:k@h>");
    }

    @Test
    void readsIdentityDiversionReasonAndCounters() throws Exception {
        SipMessage m = parse(inviteWith("""
                P-Asserted-Identity: "Alice" <sip:alice@example.com>, <tel:+4930123>
                Diversion: <sip:bob@example.com>;reason=unconditional;counter=1
                Reason: Q.850;cause=16;text="Normal call clearing"
                Expires: 120
                Max-Forwards: 69
                User-Agent: Phone/1.0 (build 7, "beta")
                """));

        assertThat(m.pAssertedIdentity()).isEqualTo(new NameAddress("Alice",
                new SipUri("sip", "alice", "example.com", -1, "sip:alice@example.com"), null));
        assertThat(m.headers("P-Asserted-Identity")).hasSize(2);
        assertThat(m.diversion().uri().user()).isEqualTo("bob");
        assertThat(m.reason()).isEqualTo("Q.850;cause=16;text=\"Normal call clearing\"");
        assertThat(m.expires()).isEqualTo(120);
        assertThat(m.maxForwards()).isEqualTo(69);
        assertThat(m.userAgent()).isEqualTo("Phone/1.0 (build 7, \"beta\")");
    }
}
