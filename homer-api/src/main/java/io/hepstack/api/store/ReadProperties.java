package io.hepstack.api.store;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The read configuration ({@code homer.api.read.*}): where the searches, flows, exports, statistics and
 * live streams read. Unset, everything goes to {@code spring.r2dbc.url} (the primary).
 *
 * @param url         an R2DBC URL of the hot standbys, typically several hosts and the standbys first,
 *                    {@code r2dbc:postgresql:failover://standby-1,standby-2,primary/homer?targetServerType=preferSecondary};
 *                    unset: the primary serves the reads
 * @param username    its user; unset: {@code spring.r2dbc.username}
 * @param password    its password; unset: {@code spring.r2dbc.password}
 * @param maxSize     connections of the read pool
 * @param lagInterval how often the standby's replay lag is measured ({@code homer.api.replica.lag})
 */
@Validated
@ConfigurationProperties("homer.api.read")
public record ReadProperties(
        String url,
        String username,
        String password,
        @DefaultValue("10") int maxSize,
        @NotNull @DefaultValue("5s") Duration lagInterval) {

    /** Whether the reads have a configuration of their own. */
    public boolean separate() {
        return url != null && !url.isBlank();
    }
}
