package io.hepstack.proto.model;

import java.util.Locale;
import java.util.Map;

/**
 * The severity of a log line, on the syslog scale (RFC 5424 §6.2.1: 0 emergency to 7 debug), whatever
 * words its agent used for it: Kamailio and OpenSIPS ({@code ERROR:}, {@code WARNING:}, {@code BUG:}),
 * FreeSWITCH ({@code [ERR]}, {@code [CRIT]}, {@code [CONSOLE]}), Asterisk ({@code WARNING[1234]},
 * {@code VERBOSE[...]}), JSON loggers ({@code "level": "warn"}, {@code "severity": 3}, {@code fatal},
 * {@code trace}). The code is what is stored ({@code extra.log.level}) and searched.
 */
public enum LogLevel {
    EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG;

    private static final LogLevel[] BY_SEVERITY = values();

    /** Every word agents use for a level, upper case. */
    private static final Map<String, LogLevel> WORDS = Map.ofEntries(
            Map.entry("EMERG", EMERGENCY), Map.entry("EMERGENCY", EMERGENCY), Map.entry("PANIC", EMERGENCY),
            Map.entry("ALERT", ALERT),
            Map.entry("CRIT", CRITICAL), Map.entry("CRITICAL", CRITICAL), Map.entry("FATAL", CRITICAL),
            Map.entry("BUG", CRITICAL),
            Map.entry("ERR", ERROR), Map.entry("ERROR", ERROR),
            Map.entry("WARN", WARNING), Map.entry("WARNING", WARNING),
            Map.entry("NOTICE", NOTICE),
            Map.entry("INFO", INFO), Map.entry("INFORMATIONAL", INFO), Map.entry("VERBOSE", INFO),
            Map.entry("CONSOLE", INFO),
            Map.entry("DEBUG", DEBUG), Map.entry("DBG", DEBUG), Map.entry("TRACE", DEBUG));

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The stored and searched name: {@code error}, {@code warning}... */
    public String code() {
        return code;
    }

    /** The syslog severity number, 0 (emergency) to 7 (debug). */
    public int severity() {
        return ordinal();
    }

    /** The level a word names, in any case ({@code ERR}, {@code warn}, {@code Fatal}), or {@code null}. */
    public static LogLevel ofWord(String word) {
        return word.length() > 13 ? null : WORDS.get(word.toUpperCase(Locale.ROOT));
    }

    /** The level of a syslog severity number, or {@code null} outside 0..7. */
    public static LogLevel ofSeverity(long severity) {
        return severity >= 0 && severity < BY_SEVERITY.length ? BY_SEVERITY[(int) severity] : null;
    }

    /** The level a stored code names, or {@code null}. */
    public static LogLevel ofCode(String code) {
        for (LogLevel l : BY_SEVERITY) {
            if (l.code.equals(code)) {
                return l;
            }
        }
        return null;
    }
}
