package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.wire.api.AlertView;
import dev.outpost.wire.api.DataUsageView;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.HealthAlert;
import dev.outpost.wire.outbox.OutboxKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store and forward end to end (issue 7): what a recorder puts in its outbox reaches the cloud's alert history
 * exactly once, whatever happens to the link, the cloud and the recorder in between.
 */
class OutboxDeliveryTest {
    /** Fast health checks, and any link outage is worth reporting. */
    static final UnaryOperator<RecorderConfig> FAST_HEALTH = config -> config.withHealth(HealthSettings.DEFAULTS
            .withChecks(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ZERO));

    static void addAlert(Recorder recorder, String message, byte[] image) throws Exception {
        HealthAlert alert = new HealthAlert(HealthAlert.CAMERA_OFFLINE, "cam-1", message, Instant.now(), 0);
        recorder.outbox().add(OutboxKind.ALERT, new String(Json.write(alert), StandardCharsets.UTF_8), image,
                "image/jpeg");
    }

    static List<AlertView> alerts(OutpostClient client, String recorderId) {
        return client.alerts(Optional.of(recorderId), Optional.empty(), 1000);
    }

    @Test
    void anAlertArrivesOnceWithItsImageAndTheRecorderCountsWhatItSent(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Shop", FAST_HEALTH);
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            byte[] image = new byte[5000];
            image[0] = (byte) 0xff;
            image[4999] = 42;
            addAlert(recorder, "front door camera offline", image);

            await("the alert in the cloud").atMost(Duration.ofSeconds(20)).until(() -> alerts(admin, id).stream()
                    .anyMatch(a -> a.message().equals("front door camera offline")));
            await("the outbox empties").atMost(Duration.ofSeconds(10)).until(() -> recorder.outbox().size() == 0);
            AlertView alert = alerts(admin, id).stream().filter(a -> a.message().equals("front door camera offline"))
                    .findFirst().orElseThrow();
            assertThat(alert.recorderName()).isEqualTo("Shop");
            assertThat(alert.cameraId()).isEqualTo("cam-1");
            assertThat(alert.imageUrl()).isEqualTo("/api/alerts/" + alert.id() + "/image.jpg");
            assertThat(admin.alertImage(alert.id())).isEqualTo(image);
            assertThat(alerts(admin, id)).extracting(AlertView::type).as("the start is an alert too")
                    .containsOnlyOnce(HealthAlert.RECORDER_RESTARTED);
            assertThat(admin.alerts(Optional.empty(), Optional.of(Instant.now().plusSeconds(3600)), 10)).isEmpty();

            try (RelayResponse usage = admin.relayGet(id, "/api/usage")) {
                assertThat(usage.status()).isEqualTo(200);
                DataUsageView view = Json.read(usage.body().readAllBytes(), DataUsageView.class);
                assertThat(view.last30Days().get("alert-images")).isEqualTo(5000L);
                assertThat(view.last30Days().get("alerts")).isPositive();
                assertThat(view.last30Days().get("baseline")).as("the link's own bytes: TLS, hello, HTTP/2, polls")
                        .isBetween(1_000L, 200_000L);
                assertThat(view.days()).hasSize(1);
            }
            try (RelayResponse refused = admin.relayGet(id, "/api/outbox/items/0123456789abcdef0123456789abcdef/payload")) {
                assertThat(refused.status()).as("a user's grant does not open the outbox").isEqualTo(403);
            }
        }
    }

    @Test
    void anAlertBurstCutByALinkDropAndRestartsOfCloudThenRecorderArrivesExactlyOnce(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Depot", FAST_HEALTH);
            String id = recorder.identity().recorderId();
            int port = site.cloud().port();
            OutpostClient admin = site.admin();

            for (int i = 0; i < 40; i++) {
                addAlert(recorder, "burst " + i, i % 5 == 0 ? new byte[] {(byte) i, 1, 2} : new byte[0]);
                if (i == 15) {
                    site.cloud().links().disconnect(id); // the link drops in the middle of the burst
                }
            }
            site.awaitOnline(recorder);
            site.stopCloud();
            for (int i = 40; i < 60; i++) {
                addAlert(recorder, "burst " + i, new byte[0]); // while the cloud is down
            }
            // What the outbox holds now, some of which the cloud already stored: put back after the cloud took
            // it, it is what a recorder that never heard the acknowledgements would send again.
            Path outbox = dir.resolve("recorder-0/outbox");
            Map<Path, byte[]> unacknowledged;
            try (Stream<Path> files = Files.list(outbox)) {
                unacknowledged = files.collect(Collectors.toMap(Function.identity(), OutboxDeliveryTest::read));
            }
            assertThat(unacknowledged).isNotEmpty();

            site.startCloudAgain(port);
            site.awaitOnline(recorder);
            OutpostClient again = site.admin();
            await("every burst alert stored").atMost(Duration.ofSeconds(30))
                    .until(() -> burstMessages(again, id).size() == 60);
            await("the outbox empties").atMost(Duration.ofSeconds(10)).until(() -> recorder.outbox().size() == 0);

            recorder.close();
            for (var file : unacknowledged.entrySet()) {
                Files.write(file.getKey(), file.getValue());
            }
            Recorder restarted = site.restart(FAST_HEALTH.apply(site.recorderConfig(0)));
            assertThat(restarted.outbox().size()).isEqualTo(unacknowledged.size() + 0L + countStartAlert());
            site.awaitOnline(restarted);
            await("the resent items are taken and acknowledged").atMost(Duration.ofSeconds(20))
                    .until(() -> restarted.outbox().size() == 0);

            List<String> messages = burstMessages(again, id);
            assertThat(messages).hasSize(60).doesNotHaveDuplicates();
            List<AlertView> all = alerts(again, id);
            assertThat(all).filteredOn(a -> a.type().equals(HealthAlert.RECORDER_RESTARTED)).hasSize(2);
            assertThat(all).filteredOn(a -> a.type().equals(HealthAlert.LINK_RESTORED))
                    .as("the cloud's outage, with how long it was down").isNotEmpty()
                    .allSatisfy(a -> assertThat(a.message()).startsWith("The link to the cloud is back after an outage of"));
            assertThat(all).filteredOn(a -> a.message().equals("burst 5")).singleElement()
                    .satisfies(a -> assertThat(again.alertImage(a.id())).containsExactly(5, 1, 2));
        }
    }

    /** The restarted recorder adds its own start alert to what was put back. */
    private static int countStartAlert() {
        return 1;
    }

    private static List<String> burstMessages(OutpostClient client, String recorderId) {
        return alerts(client, recorderId).stream().map(AlertView::message).filter(m -> m.startsWith("burst ")).toList();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
