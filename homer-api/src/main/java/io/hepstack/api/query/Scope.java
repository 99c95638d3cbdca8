package io.hepstack.api.query;

import io.hepstack.proto.query.Sql;
import java.util.List;

/**
 * What part of {@code messages} a principal may read: everything ({@link #ALL}), or a tenant's part,
 * the rows captured by one of its nodes or whose source or destination address lies in one of its
 * networks. Every statement that reads {@code messages} for a principal appends {@link #condition}
 * once per {@code messages} it names; the values are bound ({@code text[]}, {@code inet[]}).
 *
 * @param tenant   the tenant's name, {@code null} for no scope
 * @param nodes    capture node names (exact)
 * @param networks networks in CIDR notation, host bits clear (a lone address is its own network)
 */
public record Scope(String tenant, List<String> nodes, List<String> networks) {

    /** No tenant: every message. */
    public static final Scope ALL = new Scope(null, List.of(), List.of());

    public Scope {
        nodes = List.copyOf(nodes);
        networks = List.copyOf(networks);
    }

    /** Whether this is no scope at all. */
    public boolean all() {
        return tenant == null;
    }

    /**
     * {@code " AND (node = ANY(..) OR src_ip <<= ANY(..) OR dst_ip <<= ANY(..))"} on the columns of table
     * alias {@code alias} ({@code ""} or {@code "m."}), its values bound to {@code sql}; {@code ""} for
     * {@link #ALL}. A tenant with neither nodes nor networks sees nothing.
     */
    public String condition(Sql sql, String alias) {
        if (all()) {
            return "";
        }
        String n = sql.bind(nodes.toArray(String[]::new));
        String w = sql.bind(networks.toArray(String[]::new));
        return " AND (" + alias + "node = ANY(" + n + "::text[]) OR " + alias + "src_ip <<= ANY(" + w + "::inet[]) OR "
                + alias + "dst_ip <<= ANY(" + w + "::inet[]))";
    }

    /**
     * {@code " AND (nodes && ..  OR src_ip <<= ANY(..) OR dst_ip <<= ANY(..))"} for a record kept from messages (a
     * registration record: its {@code nodes text[]}, its client's {@code src_ip} and its registrar's {@code dst_ip}) on
     * table alias {@code alias}: the tenant's nodes captured it or one of its ends lies in the tenant's networks;
     * {@code ""} for {@link #ALL}.
     */
    public String recordCondition(Sql sql, String alias) {
        if (all()) {
            return "";
        }
        String n = sql.bind(nodes.toArray(String[]::new));
        String w = sql.bind(networks.toArray(String[]::new));
        return " AND (" + alias + "nodes && " + n + "::text[] OR " + alias + "src_ip <<= ANY(" + w + "::inet[]) OR "
                + alias + "dst_ip <<= ANY(" + w + "::inet[]))";
    }

    /** Appends {@link #condition} to {@code sql}. */
    public void appendTo(Sql sql, String alias) {
        sql.append(condition(sql, alias));
    }
}
