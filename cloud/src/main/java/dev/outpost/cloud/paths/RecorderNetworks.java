package dev.outpost.cloud.paths;

import dev.outpost.cloud.store.Database;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.link.LocalEndpoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * What the database keeps for connection paths: each recorder's Remote Network Settings and the local endpoint it
 * last reported over its link. Blocking (database): call it from virtual threads.
 */
public final class RecorderNetworks {
    private final Jdbi jdbi;
    private final Clock clock;

    record SettingsRow(boolean lanForwarding, String sameSiteRanges, String directHost, Integer directPort,
                       String directScheme) {
        RemoteNetworkSettings settings() {
            Optional<RemoteNetworkSettings.DirectConnect> direct = directHost == null ? Optional.empty()
                    : Optional.of(new RemoteNetworkSettings.DirectConnect(directHost, directPort, directScheme));
            return new RemoteNetworkSettings(lanForwarding, split(sameSiteRanges), direct);
        }
    }

    record EndpointRow(String addresses, int port, String scheme) {
        LocalEndpoint endpoint() {
            return new LocalEndpoint(split(addresses), port, scheme);
        }
    }

    public RecorderNetworks(Database database, Clock clock) {
        this.jdbi = database.jdbi();
        this.clock = clock;
    }

    /** The recorder's settings; the defaults when none were saved. */
    public RemoteNetworkSettings settings(String recorderId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select lan_forwarding, same_site_ranges, direct_host, direct_port, direct_scheme
                        from recorder_network_settings where recorder_id = :id""")
                .bind("id", recorderId)
                .map(ConstructorMapper.of(SettingsRow.class))
                .findOne()
                .map(SettingsRow::settings)
                .orElse(RemoteNetworkSettings.DEFAULTS));
    }

    /** Saves settings already checked by {@link NetworkSettingsCheck}. */
    public void save(String recorderId, RemoteNetworkSettings settings) {
        Optional<RemoteNetworkSettings.DirectConnect> direct = settings.directConnect();
        upsert("""
                update recorder_network_settings
                set lan_forwarding = :lan, same_site_ranges = :ranges, direct_host = :host, direct_port = :port,
                    direct_scheme = :scheme, updated_at = :now
                where recorder_id = :id""", """
                insert into recorder_network_settings
                    (recorder_id, lan_forwarding, same_site_ranges, direct_host, direct_port, direct_scheme, updated_at)
                values (:id, :lan, :ranges, :host, :port, :scheme, :now)""", handle -> handle
                .bind("id", recorderId)
                .bind("lan", settings.lanForwarding())
                .bind("ranges", String.join(",", settings.sameSiteRanges()))
                .bind("host", direct.map(RemoteNetworkSettings.DirectConnect::host).orElse(null))
                .bind("port", direct.map(RemoteNetworkSettings.DirectConnect::port).orElse(null))
                .bind("scheme", direct.map(RemoteNetworkSettings.DirectConnect::scheme).orElse(null))
                .bind("now", now()));
    }

    /** Where the recorder last said it serves its API locally; {@link LocalEndpoint#NONE} if it never did. */
    public LocalEndpoint localEndpoint(String recorderId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select addresses, port, scheme from recorder_local_endpoints where recorder_id = :id""")
                .bind("id", recorderId)
                .map(ConstructorMapper.of(EndpointRow.class))
                .findOne()
                .map(EndpointRow::endpoint)
                .orElse(LocalEndpoint.NONE));
    }

    /** Records the local endpoint of a recorder's hello. */
    public void reportLocalEndpoint(String recorderId, LocalEndpoint endpoint) {
        upsert("""
                update recorder_local_endpoints set addresses = :addresses, port = :port, scheme = :scheme,
                    reported_at = :now
                where recorder_id = :id""", """
                insert into recorder_local_endpoints (recorder_id, addresses, port, scheme, reported_at)
                values (:id, :addresses, :port, :scheme, :now)""", update -> update
                .bind("id", recorderId)
                .bind("addresses", String.join(",", endpoint.addresses()))
                .bind("port", endpoint.port())
                .bind("scheme", endpoint.scheme())
                .bind("now", now()));
    }

    /**
     * Update, else insert; one dialect for H2 and PostgreSQL (no MERGE or ON CONFLICT common to both). Of two
     * racing first inserts the second fails on the key, and its update then finds the row.
     */
    private void upsert(String update, String insert, java.util.function.UnaryOperator<org.jdbi.v3.core.statement.Update> bind) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                boolean done = jdbi.inTransaction(handle -> {
                    if (bind.apply(handle.createUpdate(update)).execute() > 0) {
                        return true;
                    }
                    bind.apply(handle.createUpdate(insert)).execute();
                    return true;
                });
                if (done) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!Database.isUniqueViolation(e) || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.stream(joined.split(",")).map(String::strip).toList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
