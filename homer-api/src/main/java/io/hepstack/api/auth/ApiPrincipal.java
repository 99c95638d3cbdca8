package io.hepstack.api.auth;

import io.hepstack.api.query.Scope;

/**
 * Who made a request: an account (authenticated by a login JWT) or an API token.
 *
 * @param name  the account's user name, or {@code token:<name>} for an API token
 * @param role  what it may do, as stored now (a JWT's role claim is not trusted beyond the account's)
 * @param kind  how it authenticated
 * @param id    the account's id or the token's id (with {@code kind}, who owns what it creates: a share link);
 *              a new account of a deleted one's name has another id
 * @param scope   which messages it may read, its tenant's as stored now ({@link Scope#ALL} without a tenant)
 * @param session an account's login session (ended by logout), {@code null} for an API token
 */
public record ApiPrincipal(String name, Role role, Kind kind, long id, Scope scope, java.util.UUID session) {

    /**
     * The caller as the per-caller bounds count it (flows read at once, imports): an account or an API token,
     * by id, so two tokens of one name, or an account and a later one of its name, are two callers.
     */
    public String key() {
        return kind + ":" + id;
    }

    /** How a principal authenticated. */
    public enum Kind { ACCOUNT, API_TOKEN }
}
