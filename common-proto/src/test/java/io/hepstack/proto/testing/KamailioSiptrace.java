package io.hepstack.proto.testing;

/**
 * The Kamailio configuration the peer tests run (hep-ingest's {@code KamailioSiptraceIT}, hep-tools'
 * {@code LoadBalancedStackIT}): a stateful proxy on 127.0.0.1 relaying to a SIPp UAS and mirroring every
 * message with {@code siptrace} in HEP to a collector; OPTIONS to user {@code warmup} are answered by
 * Kamailio itself, so a test can warm the trace connection up before counting.
 */
public final class KamailioSiptrace {

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
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                tcp_children=1
                auto_aliases=no
                listen=udp:127.0.0.1:%1$d
                listen=tcp:127.0.0.1:%1$d
                mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "textops.so"
                loadmodule "siputils.so"
                loadmodule "siptrace.so"
                modparam("siptrace", "duplicate_uri", "%3$s")
                modparam("siptrace", "hep_mode_on", 1)
                modparam("siptrace", "hep_version", %4$d)
                modparam("siptrace", "hep_capture_id", 2001)
                modparam("siptrace", "trace_to_database", 0)
                modparam("siptrace", "trace_mode", 1)
                modparam("siptrace", "trace_on", 1)
                request_route {
                    if (is_method("OPTIONS") && $rU == "warmup") {
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) { t_relay(); }
                        exit;
                    }
                    $du = "sip:127.0.0.1:%2$d";
                    if (is_method("ACK") && !t_check_trans()) {
                        forward();
                        exit;
                    }
                    if (!t_relay()) { sl_reply_error(); }
                }
                """.formatted(proxyPort, uasPort, hepUri, hepVersion);
    }

    /**
     * A registrar on 127.0.0.1 ({@code usrloc} in memory, {@code registrar}) that asks every REGISTER for digest
     * credentials ({@code auth}: realm the To domain, every user's password {@value #REGISTRAR_PASSWORD}) and
     * mirrors every message it receives and sends with {@code siptrace} in HEPv3 to a collector; OPTIONS to user
     * {@code warmup} are answered as in {@link #config}, anything else 404 (hep-ingest's {@code KamailioRegistrarIT}).
     *
     * @param proxyPort Kamailio's SIP port (UDP)
     * @param hepUri    siptrace's {@code duplicate_uri}
     */
    public static String registrar(int proxyPort, String hepUri) {
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=1
                auto_aliases=no
                listen=udp:127.0.0.1:%1$d
                mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "pv.so"
                loadmodule "textops.so"
                loadmodule "siputils.so"
                loadmodule "usrloc.so"
                loadmodule "registrar.so"
                loadmodule "auth.so"
                loadmodule "siptrace.so"
                modparam("usrloc", "db_mode", 0)
                modparam("siptrace", "duplicate_uri", "%2$s")
                modparam("siptrace", "hep_mode_on", 1)
                modparam("siptrace", "hep_version", 3)
                modparam("siptrace", "hep_capture_id", 2001)
                modparam("siptrace", "trace_to_database", 0)
                modparam("siptrace", "trace_mode", 1)
                modparam("siptrace", "trace_on", 1)
                request_route {
                    if (is_method("OPTIONS") && $rU == "warmup") {
                        sl_send_reply("200", "OK");
                        exit;
                    }
                    if (is_method("REGISTER")) {
                        if (!pv_www_authenticate("$td", "%3$s", "0")) {
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
                """.formatted(proxyPort, hepUri, REGISTRAR_PASSWORD);
    }

    /** The password of every user of {@link #registrar}. */
    public static final String REGISTRAR_PASSWORD = "secret";
}
