package io.hepstack.api.query;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the numbers of one country are written (E.164 and ITU-T E.123): a number dialled {@code +4930123},
 * {@code 004930123} (international prefix) or {@code 030123} (national prefix, country code 49) is the same
 * number. The call list's {@code caller} and {@code callee} match every written form of the number they are
 * given ({@link #forms}), so that the records keep the users as captured and any index on them serves an
 * exact match (docs/architecture.md, "Numbers in the call list").
 *
 * @param countryCode         the country code of the national form, digits without {@code +} ({@code 49});
 *                            empty: numbers are only told apart from their international forms
 * @param internationalPrefix what is dialled before a country code instead of {@code +} ({@code 00}); empty: none
 * @param nationalPrefix      what is dialled before a national number ({@code 0}); empty: none
 */
public record NumberPlan(String countryCode, String internationalPrefix, String nationalPrefix) {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{0,8}");
    /** A number as dialled: an optional {@code +}, then 3 to 32 digits (E.164 allows 15; dial plans add prefixes). */
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{3,32}");

    /** No plan: a number is matched as written and as its {@code +}/{@code 00} forms. */
    public static final NumberPlan NONE = new NumberPlan("", "00", "");

    public NumberPlan {
        for (String part : new String[] {countryCode, internationalPrefix, nationalPrefix}) {
            if (part == null || !DIGITS.matcher(part).matches()) {
                throw new IllegalArgumentException("a number plan's codes and prefixes are up to 8 digits: " + part);
            }
        }
    }

    /**
     * The forms a SIP user that is this number may have: as given; international with {@code +}, with the
     * international prefix and bare; national (national prefix, then the number without its country code) when
     * it is in the plan's country. A user that is no number ({@code alice}), or a number written in none of the
     * plan's forms (a short or local one), has only itself.
     */
    public List<String> forms(String user) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(user);
        String international = international(user);
        if (international != null) {
            forms.add("+" + international);
            if (!internationalPrefix.isEmpty()) {
                forms.add(internationalPrefix + international);
            }
            forms.add(international);
            if (!countryCode.isEmpty() && international.startsWith(countryCode)
                    && international.length() > countryCode.length()) {
                forms.add(nationalPrefix + international.substring(countryCode.length()));
            }
        }
        return List.copyOf(forms);
    }

    /**
     * The SQL expression of {@link #international} on the text column {@code column}: the number's digits from its
     * country code on, {@code NULL} for a user written in none of the plan's forms. The plan's codes are digits
     * (checked when it is made), so they are written into the statement as literals.
     */
    public String internationalSql(String column) {
        StringBuilder s = new StringBuilder("CASE WHEN ").append(column).append(" !~ '^\\+?[0-9]{3,32}$' THEN NULL WHEN ")
                .append(column).append(" LIKE '+%' THEN substr(").append(column).append(", 2)");
        if (!internationalPrefix.isEmpty()) {
            s.append(" WHEN ").append(column).append(" LIKE '").append(internationalPrefix).append("_%' THEN substr(")
                    .append(column).append(", ").append(internationalPrefix.length() + 1).append(")");
        }
        if (!countryCode.isEmpty() && !nationalPrefix.isEmpty()) {
            s.append(" WHEN ").append(column).append(" LIKE '").append(nationalPrefix).append("_%' THEN '").append(countryCode)
                    .append("' || substr(").append(column).append(", ").append(nationalPrefix.length() + 1).append(")");
        }
        return s.append(" END").toString();
    }

    /**
     * The call list's patterns ({@code 4930*}) of every written form of the numbers whose international digits start
     * with {@code digits}: with {@code +}, with the international prefix and, when {@code digits} are longer than the
     * plan's country code and start with it, the national form. Each pattern is a prefix match of the call list's
     * {@code caller}/{@code callee}, so that their union lists the numbers {@link #internationalSql} reads as
     * starting with {@code digits}.
     */
    public List<String> prefixPatterns(String digits) {
        List<String> patterns = new java.util.ArrayList<>();
        patterns.add("+" + digits + "*");
        if (!internationalPrefix.isEmpty()) {
            patterns.add(internationalPrefix + digits + "*");
        }
        if (!countryCode.isEmpty() && !nationalPrefix.isEmpty() && digits.length() > countryCode.length()
                && digits.startsWith(countryCode)) {
            patterns.add(nationalPrefix + digits.substring(countryCode.length()) + "*");
        }
        return List.copyOf(patterns);
    }

    /** The number's digits from its country code on, or {@code null} when it is not written internationally or nationally. */
    private String international(String user) {
        if (!NUMBER.matcher(user).matches()) {
            return null;
        }
        if (user.startsWith("+")) {
            return user.substring(1);
        }
        if (!internationalPrefix.isEmpty() && user.startsWith(internationalPrefix)
                && user.length() > internationalPrefix.length()) {
            return user.substring(internationalPrefix.length());
        }
        if (!countryCode.isEmpty() && !nationalPrefix.isEmpty() && user.startsWith(nationalPrefix)
                && user.length() > nationalPrefix.length()) {
            return countryCode + user.substring(nationalPrefix.length());
        }
        return null;
    }
}
