package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.Postgres;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole cloud on a real PostgreSQL: accounts, activation, links and relay, and a restart keeps them. */
class PostgresCloudTest {

    @Test
    void aCloudOnPostgresActivatesRelaysAndKeepsItsDataAcrossARestart(@TempDir Path dir) throws Exception {
        try (Postgres postgres = Postgres.start()) {
            String url = postgres.createDatabase();
            try (Site site = Site.start(dir, c -> c.withDatabase(Optional.of(url), Optional.of(postgres.user()), Optional.empty()))) {
                Recorder recorder = site.recorder("Depot");
                String id = recorder.identity().recorderId();
                OutpostClient viewer = site.admin();
                try (RelayResponse response = viewer.relayGet(id, "/api/info")) {
                    assertThat(response.status()).isEqualTo(200);
                }

                site.restartCloud();
                site.awaitOnline(recorder);
                OutpostClient again = site.admin();
                assertThat(again.recorders()).extracting(r -> r.name()).containsExactly("Depot");
                assertThat(again.recorder(id).online()).isTrue();
            }
        }
    }
}
