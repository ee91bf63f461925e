package dev.outpost.recorder.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.outbox.OutboxEnvelope;
import dev.outpost.wire.outbox.OutboxKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    private final Clock clock = Clock.systemUTC();

    private Outbox open(Path dir, Outbox.Limits limits) throws Exception {
        return Outbox.open(dir.resolve("outbox"), limits, clock, DataUsage.open(dir.resolve("usage.json"), clock));
    }

    @Test
    void anItemStaysUntilAcknowledgedAndSurvivesARestartWithItsKey(@TempDir Path dir) throws Exception {
        Outbox outbox = open(dir, Outbox.Limits.DEFAULTS);
        String key = outbox.add(OutboxKind.ALERT, "{\"type\":\"x\"}", new byte[] {1, 2, 3}, "image/jpeg");
        String second = outbox.add(OutboxKind.ALERT, "{}", new byte[0], "");
        assertThat(key).matches("[0-9a-f]{32}").isNotEqualTo(second);

        List<OutboxEnvelope> batch = outbox.poll(10, Duration.ZERO);
        assertThat(batch).extracting(OutboxEnvelope::key).containsExactly(key, second);
        assertThat(batch.getFirst().payloadBytes()).isEqualTo(3);
        assertThat(batch.getFirst().payloadType()).isEqualTo("image/jpeg");
        assertThat(batch.get(1).payloadType()).isEmpty();
        assertThat(outbox.poll(10, Duration.ZERO)).as("not acknowledged: sent again").hasSize(2);

        Outbox reopened = open(dir, Outbox.Limits.DEFAULTS);
        assertThat(reopened.poll(10, Duration.ZERO)).extracting(OutboxEnvelope::key).containsExactly(key, second);
        assertThat(reopened.payload(key)).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));

        reopened.acknowledge(List.of(key, "0123456789abcdef0123456789abcdef"));
        assertThat(reopened.poll(10, Duration.ZERO)).extracting(OutboxEnvelope::key).containsExactly(second);
        assertThat(reopened.payload(key)).isEmpty();
        assertThat(open(dir, Outbox.Limits.DEFAULTS).size()).isEqualTo(1);
        assertThat(reopened.usage().view().last30Days()).containsEntry(DataUsage.ALERTS, 12L)
                .containsEntry(DataUsage.ALERT_IMAGES, 3L);
        assertThat(open(dir, Outbox.Limits.DEFAULTS).usage().view().last30Days())
                .as("counts are kept on disk").containsEntry(DataUsage.ALERT_IMAGES, 3L);
    }

    @Test
    void aPollWaitsForTheNextItemAndEndsAtClose(@TempDir Path dir) throws Exception {
        Outbox outbox = open(dir, Outbox.Limits.DEFAULTS);
        CompletableFuture<List<OutboxEnvelope>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return outbox.poll(5, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String key = outbox.add(OutboxKind.ALERT, "{}", new byte[0], "");
        assertThat(waiting.get(10, TimeUnit.SECONDS)).extracting(OutboxEnvelope::key).containsExactly(key);

        outbox.acknowledge(List.of(key));
        CompletableFuture<List<OutboxEnvelope>> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return outbox.poll(5, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        outbox.close();
        assertThat(idle.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aFullOutboxGivesUpDayNightImagesThenAlertImagesThenAlertsOldestFirst(@TempDir Path dir) throws Exception {
        byte[] image = new byte[3000];
        Outbox outbox = open(dir, new Outbox.Limits(100, 14_000));
        String dayNight1 = outbox.add(OutboxKind.DAY_NIGHT_IMAGE, "{}", image, "image/jpeg");
        String alert1 = outbox.add(OutboxKind.ALERT, "{\"n\":1}", image, "image/jpeg");
        String dayNight2 = outbox.add(OutboxKind.DAY_NIGHT_IMAGE, "{}", image, "image/jpeg");
        String alert2 = outbox.add(OutboxKind.ALERT, "{\"n\":2}", image, "image/jpeg");
        assertThat(outbox.size()).isEqualTo(4);

        String alert3 = outbox.add(OutboxKind.ALERT, "{\"n\":3}", image, "image/jpeg");
        assertThat(keys(outbox)).as("the oldest day/night image went first")
                .containsExactly(alert1, dayNight2, alert2, alert3);
        outbox.add(OutboxKind.ALERT, "{\"n\":4}", image, "image/jpeg");
        assertThat(keys(outbox)).doesNotContain(dayNight1, dayNight2).contains(alert1, alert2, alert3);

        String alert5 = outbox.add(OutboxKind.ALERT, "{\"n\":5}", image, "image/jpeg");
        List<OutboxEnvelope> left = outbox.poll(100, Duration.ZERO);
        assertThat(left).extracting(OutboxEnvelope::key).as("alerts stay; the oldest gave up its image")
                .startsWith(alert1, alert2, alert3).contains(alert5);
        assertThat(left.getFirst().payloadBytes()).isZero();
        assertThat(left.getLast().payloadBytes()).isEqualTo(3000);
        assertThat(outbox.dropped()).isGreaterThanOrEqualTo(3);
        assertThat(open(dir, new Outbox.Limits(100, 14_000)).poll(100, Duration.ZERO).getFirst().payloadBytes())
                .as("the stripped alert is stripped on disk too").isZero();

        Outbox byCount = open(dir.resolve("count"), new Outbox.Limits(2, 1_000_000));
        String a = byCount.add(OutboxKind.ALERT, "{}", new byte[0], "");
        byCount.add(OutboxKind.ALERT, "{}", new byte[0], "");
        byCount.add(OutboxKind.ALERT, "{}", new byte[0], "");
        assertThat(keys(byCount)).hasSize(2).doesNotContain(a);

        assertThatThrownBy(() -> outbox.add(OutboxKind.CLIP_PART, "{}", new byte[20_000], "video/mp4"))
                .isInstanceOf(OutboxFullException.class).hasMessageContaining("larger than the outbox holds");
    }

    @Test
    void aNewItemNeverDisplacesOneWorthMore(@TempDir Path dir) throws Exception {
        byte[] image = new byte[3000];
        Outbox outbox = open(dir, new Outbox.Limits(3, 1_000_000));
        String alert1 = outbox.add(OutboxKind.ALERT, "{\"n\":1}", image, "image/jpeg");
        String backup = outbox.add(OutboxKind.CONFIG_BACKUP, "{}", new byte[500], "application/json");
        String alert2 = outbox.add(OutboxKind.ALERT, "{\"n\":2}", new byte[0], "");

        assertThatThrownBy(() -> outbox.add(OutboxKind.DAY_NIGHT_IMAGE, "{}", image, "image/jpeg"))
                .as("a day/night image gives way to alerts and backups, even when it is the newest")
                .isInstanceOf(OutboxFullException.class).hasMessageContaining("day/night image does not displace");
        String backup2 = outbox.add(OutboxKind.CONFIG_BACKUP, "{}", new byte[500], "application/json");
        assertThat(keys(outbox)).as("a newer backup displaces the older one").containsExactly(alert1, alert2, backup2);
        String alert3 = outbox.add(OutboxKind.ALERT, "{\"n\":3}", new byte[0], "");
        assertThat(keys(outbox)).as("an alert displaces a backup before any alert").containsExactly(alert1, alert2, alert3);
        assertThatThrownBy(() -> outbox.add(OutboxKind.CONFIG_BACKUP, "{}", new byte[500], "application/json"))
                .as("a backup never displaces an alert").isInstanceOf(OutboxFullException.class)
                .hasMessageContaining("full of alerts");
        String alert4 = outbox.add(OutboxKind.ALERT, "{\"n\":4}", new byte[0], "");
        assertThat(keys(outbox)).as("alerts last, oldest first").containsExactly(alert2, alert3, alert4)
                .doesNotContain(backup);

        Outbox bySize = open(dir.resolve("size"), new Outbox.Limits(100, 8_000));
        String dayNight = bySize.add(OutboxKind.DAY_NIGHT_IMAGE, "{}", image, "image/jpeg");
        String withImage = bySize.add(OutboxKind.ALERT, "{}", image, "image/jpeg");
        String newer = bySize.add(OutboxKind.DAY_NIGHT_IMAGE, "{}", image, "image/jpeg");
        assertThat(keys(bySize)).as("an older day/night image gives way to a newer").containsExactly(withImage, newer)
                .doesNotContain(dayNight);
        assertThatThrownBy(() -> bySize.add(OutboxKind.DAY_NIGHT_IMAGE, "{}", new byte[5000], "image/jpeg"))
                .as("not an alert's image either").isInstanceOf(OutboxFullException.class);
        assertThat(bySize.poll(10, Duration.ZERO).getFirst().payloadBytes()).isEqualTo(3000);
    }

    @Test
    void aDamagedItemIsSetAsideAndAHalfWrittenOneForgotten(@TempDir Path dir) throws Exception {
        Outbox outbox = open(dir, Outbox.Limits.DEFAULTS);
        String good = outbox.add(OutboxKind.ALERT, "{}", new byte[0], "");
        Path items = dir.resolve("outbox");
        Files.write(items.resolve("0000000000000099.item"), new byte[] {'O', 'P', 'O', 'B', 0x7f, 0, 0, 0});
        Files.write(items.resolve("0000000000000100.item.tmp"), new byte[] {1, 2});

        Outbox reopened = open(dir, Outbox.Limits.DEFAULTS);
        assertThat(keys(reopened)).containsExactly(good);
        assertThat(items.resolve("0000000000000099.item.corrupt")).exists();
        assertThat(items.resolve("0000000000000100.item.tmp")).doesNotExist();
        String next = reopened.add(OutboxKind.ALERT, "{}", new byte[0], "");
        assertThat(keys(reopened)).containsExactly(good, next);
    }

    private static List<String> keys(Outbox outbox) throws InterruptedException {
        return outbox.poll(1000, Duration.ZERO).stream().map(OutboxEnvelope::key).toList();
    }
}
