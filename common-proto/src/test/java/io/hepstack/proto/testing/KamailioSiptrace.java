package io.hepstack.proto.testing;

/**
 * The Kamailio configurations the peer tests run, each mirroring every message it receives and sends with
 * {@code siptrace} in HEP (capture id 2001) to a collector. {@link #config} (hep-ingest's {@code KamailioSiptraceIT},
 * hep-tools' {@code LoadBalancedStackIT}): a stateful proxy on 127.0.0.1 relaying to a SIPp UAS; OPTIONS to user
 * {@code warmup} are answered by Kamailio itself, so a test can warm the trace connection up before counting.
 * {@link #recordRoutingConfig} (hep-ingest's {@code CallScenariosIT}): a record-routing proxy between user agents
 * that address each other. {@link #registrar} (hep-ingest's {@code KamailioRegistrarIT}): a registrar with digest
 * authentication.
 */
public final class KamailioSiptrace {

    /** The password of every user of {@link #registrar}. */
    public static final String REGISTRAR_PASSWORD = "secret";

    private KamailioSiptrace() {
    }

    /**
     * @param proxyPort  Kamailio's SIP port (UDP and TCP)
     * @param uasPort    the UAS Kamailio relays to
     * @param hepUri     siptrace's {@code duplicate_uri}, e.g. {@code sip:127.0.0.1:9060;transport=tcp}
     * @param hepVersion 1, 2 or 3
     */
    public static String config(int proxyPort, int uasPort, String hepUri, int hepVersion) {
        // children=1: one UDP worker handles the UAS's replies in the order they arrive. With two, a busy
        // machine let the worker holding the 200 finish before the one holding the 180, and tm then drops
        // the late 180 (RFC 3261 17.2.1): a call short of its relayed 180, the shortfall of issue 21
        // (hep-tools fixtures/lb-kamailio-180-not-relayed).
        return preamble(proxyPort, true, "", hepUri, hepVersion) + """
                request_route {
                    if (is_method("OPTIONS") && $rU == "warmup") {
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) { t_relay(); }
                        exit;
                    }
                    $du = "sip:127.0.0.1:%1$d";
                    if (is_method("ACK") && !t_check_trans()) {
                        forward();
                        exit;
                    }
                    if (!t_relay()) { sl_reply_error(); }
                }
                """.formatted(uasPort);
    }

    /**
     * A record-routing stateful proxy on 127.0.0.1 for calls between user agents that address each other: an
     * initial INVITE goes where its Request-URI says (the callee's host and port), with a {@code Record-Route} so
     * that the dialog's requests (ACK, re-INVITEs, BYEs from either side) pass the proxy too; CANCEL and the ACK
     * of an error answer are matched to their transaction. Every message received and sent is mirrored over HEPv3
     * to {@code hepUri}. Kamailio's own INVITE timer ({@code fr_inv_timer}, 120 s) is cut to {@code ringTimeout}
     * for the Request-URI user {@code ringTimeoutUser}: it then cancels the callee and answers 408 Request Timeout
     * to the caller. An INVITE with an {@code X-Fork-Port} header is forked (parallel, RFC 3261 §16.6): relayed to its
     * Request-URI and to the same user at that port of 127.0.0.1 (corex {@code append_branch}); once a branch answers, tm
     * cancels the other.
     *
     * @param proxyPort Kamailio's SIP port (UDP)
     * @param hepUri    siptrace's {@code duplicate_uri}, e.g. {@code sip:127.0.0.1:9060}
     */
    public static String recordRoutingConfig(int proxyPort, String hepUri, String ringTimeoutUser, java.time.Duration ringTimeout) {
        return preamble(proxyPort, false, "loadmodule \"rr.so\"\nloadmodule \"corex.so\"\n", hepUri, 3) + """
                request_route {
                    if (has_totag()) {
                        if (loose_route()) {
                            t_relay();
                            exit;
                        }
                        if (is_method("ACK")) {
                            if (t_check_trans()) { t_relay(); }
                            exit;
                        }
                        sl_send_reply("404", "Not here");
                        exit;
                    }
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) { t_relay(); }
                        exit;
                    }
                    if (is_method("INVITE")) {
                        record_route();
                        if ($rU == "%1$s") { t_set_fr(%2$d, %2$d); }
                        if (is_present_hf("X-Fork-Port")) {
                            $var(first) = $ru;
                            $ru = "sip:" + $rU + "@127.0.0.1:" + $hdr(X-Fork-Port);
                            append_branch();
                            $ru = $var(first);
                        }
                    }
                    if (!t_relay()) { sl_reply_error(); }
                }
                """.formatted(ringTimeoutUser, ringTimeout.toMillis());
    }

    /**
     * A registrar on 127.0.0.1 ({@code usrloc} in memory, {@code registrar}) that asks every REGISTER for digest
     * credentials ({@code auth}: realm the To domain, every user's password {@value #REGISTRAR_PASSWORD}) and
     * mirrors every message over HEPv3; OPTIONS to user {@code warmup} are answered as in {@link #config}, anything
     * else 404.
     *
     * @param proxyPort Kamailio's SIP port (UDP)
     * @param hepUri    siptrace's {@code duplicate_uri}
     */
    public static String registrar(int proxyPort, String hepUri) {
        return preamble(proxyPort, false, """
                loadmodule "usrloc.so"
                loadmodule "registrar.so"
                loadmodule "auth.so"
                modparam("usrloc", "db_mode", 0)
                """, hepUri, 3) + """
                request_route {
                    if (is_method("OPTIONS") && $rU == "warmup") {
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    if (is_method("REGISTER")) {
                        if (!pv_www_authenticate("$td", "%1$s", "0")) {
                            www_challenge("$td", "0");
                            exit;
                        }
                        consume_credentials();
                        if (!save("location")) {
                            sl_reply_error();
                        }
                        exit;
                    }
                    sl_send_reply("404", "Not Here");
                }
                """.formatted(REGISTRAR_PASSWORD);
    }

    /**
     * What every configuration shares: one worker per transport on 127.0.0.1 ({@code tcp} too when asked), the
     * modules tm, sl, pv, textops and siputils, then {@code modules} (load lines and their parameters), then siptrace
     * mirroring every message received and sent in HEP {@code hepVersion} to {@code hepUri} with capture id 2001.
     */
    private static String preamble(int proxyPort, boolean tcp, String modules, String hepUri, int hepVersion) {
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                %2$sauto_aliases=no
                listen=udp:127.0.0.1:%1$d
                %3$smpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "textops.so"
                loadmodule "siputils.so"
                %4$sloadmodule "siptrace.so"
                modparam("siptrace", "duplicate_uri", "%5$s")
                modparam("siptrace", "hep_mode_on", 1)
                modparam("siptrace", "hep_version", %6$d)
                modparam("siptrace", "hep_capture_id", 2001)
                modparam("siptrace", "trace_to_database", 0)
                modparam("siptrace", "trace_mode", 1)
                modparam("siptrace", "trace_on", 1)
                """.formatted(proxyPort, tcp ? "tcp_children=1\n" : "", tcp ? "listen=tcp:127.0.0.1:" + proxyPort + "\n" : "",
                modules, hepUri, hepVersion);
    }
}
