package io.hepstack.proto.call;

import java.util.Locale;

/**
 * Who ended a call, from where its ending message came: the caller (its BYE or CANCEL), the callee (its
 * BYE or its final error), the network (a proxy or B2BUA in the path answered with an error or sent the
 * BYE itself), nobody before the timeout, or not known (the call is not over).
 */
public enum HangupBy {
    CALLER, CALLEE, NETWORK, TIMEOUT, UNKNOWN;

    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }
}
