package io.hepstack.api.auth;

/**
 * Who made a request: an account (authenticated by a login JWT) or an API token.
 *
 * @param name the account's user name, or {@code token:<name>} for an API token
 * @param role what it may do, as stored now (a JWT's role claim is not trusted beyond the account's)
 * @param kind how it authenticated
 */
public record ApiPrincipal(String name, Role role, Kind kind) {

    /** How a principal authenticated. */
    public enum Kind { ACCOUNT, API_TOKEN }
}
