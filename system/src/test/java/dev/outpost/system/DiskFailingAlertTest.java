package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.testkit.TmpfsMount;
import dev.outpost.wire.api.AlertView;
import dev.outpost.wire.outbox.HealthAlert;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder whose recording disk (a tmpfs mounted on its {@code DATA/recordings}) turns read-only: the cloud's
 * alert history shows "disk failing" with the reason, then "disk recovered" once it writes again. Mounting needs
 * root; without it the test is skipped, saying so.
 */
class DiskFailingAlertTest {

    @Test
    void aRecordingDiskTurnedReadOnlyShowsInTheCloudAsFailingThenRecovered(@TempDir Path dir) throws Exception {
        assumeTrue(TmpfsMount.possible(), "skipped: mounting a disk for the recordings needs root (CAP_SYS_ADMIN)");
        try (Site site = Site.start(dir);
             TmpfsMount disk = TmpfsMount.on(site.recorderConfig(0).dataDir().resolve("recordings"), 8)) {
            Recorder recorder = site.recorder("Depot", OutboxDeliveryTest.FAST_HEALTH);
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();

            disk.readOnly();
            await("disk failing in the cloud").atMost(Duration.ofSeconds(30))
                    .until(() -> types(admin, id).contains(HealthAlert.DISK_FAILING));
            AlertView failing = OutboxDeliveryTest.alerts(admin, id).stream()
                    .filter(a -> a.type().equals(HealthAlert.DISK_FAILING)).findFirst().orElseThrow();
            assertThat(failing.message()).isEqualTo("The recording disk is failing: cannot write " + disk.dir()
                    + ": Read-only file system");
            assertThat(failing.recorderName()).isEqualTo("Depot");

            disk.writable();
            await("disk recovered in the cloud").atMost(Duration.ofSeconds(30))
                    .until(() -> types(admin, id).contains(HealthAlert.DISK_RECOVERED));
            assertThat(types(admin, id)).as("each once").containsOnlyOnce(HealthAlert.DISK_FAILING,
                    HealthAlert.DISK_RECOVERED);
            recorder.close();
        }
    }

    private static List<String> types(OutpostClient admin, String recorderId) {
        return OutboxDeliveryTest.alerts(admin, recorderId).stream().map(AlertView::type).toList();
    }
}
