package dev.outpost.bench;

import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.cameras.CameraConfig;
import dev.outpost.recorder.health.HealthSettings;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.recorder.outbox.DataUsage;
import dev.outpost.recorder.samples.SampleVideo;
import dev.outpost.wire.api.DataUsageView;
import dev.outpost.wire.outbox.HealthAlert;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A recorder's data usage per day and per 30 days, category by category, next to the reference page's "Recorder Data
 * Usage" table. One real recorder ({@link Recorder}, in this JVM) with {@code --cameras} sample cameras for pictures
 * and as many configured cameras for its config backup, activated with a cloud in this JVM through a
 * {@link CountingProxy}, so every byte of its link is counted on the wire (TCP payload: TLS records as sent). In
 * turn, each measured on the wire with the proxy and as the recorder itself counts it ({@code DataUsage}):
 * <ol>
 *   <li>day/night images: the health monitor takes one picture of every camera at a time set a minute ahead, and
 *       the outbox delivers them (a day has two such times);</li>
 *   <li>alerts: {@code --alerts-per-day} alerts, each with its camera's picture, raised through the health
 *       monitor as it raises them (one day's worth);</li>
 *   <li>a config backup of the cameras, as the weekly one is taken (a day is a seventh of it);</li>
 *   <li>the idle link: heartbeats and the outbox's long polls over {@code --minutes}, scaled to a day, with
 *       segments (and so IPv4+TCP headers) from the kernel's tcp_info ({@link TcpSegments}).</li>
 * </ol>
 * Headers of the bursts are estimated (loopback's 64 KiB segments are not the Internet's): 52 bytes (IPv4 20, TCP
 * 20, timestamps 12) per 1448-byte data segment and one pure ACK per two.
 *
 * <pre>bench/run DataUsageMonth [--cameras 8] [--clips 4] [--alerts-per-day 8] [--minutes 10] [--settle-seconds 30]</pre>
 */
public final class DataUsageMonth {
    static final double DAY = 86_400;
    static final int MSS = 1448;
    /** The reference page's table: MB per 30 days and its average per day, as printed there. */
    static final Map<String, double[]> REFERENCE = referenceTable();
    static final double[] REFERENCE_TOTAL = {2836.23, 94.54};

    private static Map<String, double[]> referenceTable() {
        Map<String, double[]> table = new LinkedHashMap<>();
        table.put(DataUsage.BASELINE, new double[] {1350, 45});
        table.put(DataUsage.CONFIG_BACKUPS, new double[] {0.24, 0.01});
        table.put(DataUsage.ALERTS, new double[] {0.99, 0.03});
        table.put(DataUsage.ALERT_IMAGES, new double[] {45, 1.5});
        table.put(DataUsage.DAY_NIGHT_IMAGES, new double[] {1440, 48});
        return table;
    }

    /** Bytes on the wire during one phase, both directions, and what the recorder counted meanwhile. */
    record Phase(long wireBytes, double seconds, Map<String, Long> counted) {
        double headerEstimate() {
            double segments = Math.ceil((double) wireBytes / MSS);
            return segments * 1.5 * IdleLinkBytes.HEADER_BYTES_PER_SEGMENT;
        }
    }

    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int cameras = (int) args.number("cameras", 8);
        int clips = (int) args.number("clips", Math.min(cameras, 4));
        int alertsPerDay = (int) args.number("alerts-per-day", 8);
        long windowSeconds = args.number("seconds", args.number("minutes", 10) * 60);
        long settle = args.number("settle-seconds", 30);
        args.done();

        Path data = TempDirs.create("outpost-bench-usage-");
        try (BenchCloud cloud = BenchCloud.start(data.resolve("cloud"));
             CountingProxy proxy = new CountingProxy(new InetSocketAddress("127.0.0.1", cloud.server().port()))) {
            URI viaProxy = URI.create("https://127.0.0.1:" + proxy.port());
            // The day/night time: far enough ahead for the start and the settling, on a whole second.
            LocalTime imagesAt = LocalTime.now(ZoneOffset.UTC).plusSeconds(settle + 45).truncatedTo(ChronoUnit.SECONDS);
            HealthSettings health = HealthSettings.DEFAULTS.withChecks(Duration.ofSeconds(1), Duration.ofDays(1),
                    Duration.ofSeconds(60)).withDayNightTimes(List.of(imagesAt)).withZone(ZoneOffset.UTC)
                    .withBackupEvery(Duration.ZERO);
            RecorderConfig config = RecorderConfig.defaults(data.resolve("recorder"))
                    .withLocal(LocalHttpConfig.defaults().withPort(0))
                    .withCameras(configuredCameras(cameras))
                    .withSampleCameras(cameras, clips, SampleVideo.defaultCacheDir())
                    .withHealth(health)
                    .withActivation(viaProxy, cloud.activationCode("usage-" + cameras + "-cameras"));
            BenchLog.say("DataUsageMonth: a recorder with %d sample cameras (%d clips) and %d configured cameras through"
                    + " a counting proxy; day/night images at %s UTC; idle window %d s", cameras, clips, cameras,
                    imagesAt, windowSeconds);
            try (Recorder recorder = Recorder.start(config)) {
                await("link online", Duration.ofSeconds(60), () -> cloud.server().links().isOnline(
                        recorder.identity().recorderId()));
                await("the start's alert delivered", Duration.ofSeconds(60), () -> recorder.outbox().size() == 0);

                Instant due = imagesAt.atDate(java.time.LocalDate.now(ZoneOffset.UTC)).toInstant(ZoneOffset.UTC);
                if (Instant.now().isAfter(due.minusSeconds(3))) {
                    throw new IllegalStateException("the recorder took too long to start: the images' time passed");
                }
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), due.minusSeconds(3)).toMillis()));
                Phase images = phase(proxy, recorder, () -> counted(recorder, DataUsage.DAY_NIGHT_IMAGES) > 0
                        && recorder.outbox().size() == 0);
                BenchLog.say("day/night images: %s", images);

                Phase alerts = phase(proxy, recorder, () -> {
                    for (int i = 0; i < alertsPerDay; i++) {
                        String camera = "sample-" + (i % cameras + 1);
                        recorder.health().alert(HealthAlert.CAMERA_ONLINE, camera, "Camera " + camera
                                + " is back online after 1 min 35 s", 95, true);
                    }
                    return true;
                }, () -> recorder.outbox().size() == 0);
                BenchLog.say("alerts: %s", alerts);

                Phase backup = phase(proxy, recorder, () -> {
                    try {
                        recorder.backups().take();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return true;
                }, () -> recorder.outbox().size() == 0);
                BenchLog.say("config backup: %s", backup);

                BenchLog.say("idle link: settling %d s, then %d s", settle, windowSeconds);
                Thread.sleep(settle * 1000);
                TcpSegments.Totals tcp0 = TcpSegments.toPort(proxy.port());
                long accepted0 = proxy.accepted.sum();
                Phase idle = phase(proxy, recorder, () -> true, sleeper(windowSeconds));
                TcpSegments.Totals tcp = TcpSegments.toPort(proxy.port()).minus(tcp0);
                long reconnects = proxy.accepted.sum() - accepted0;
                BenchLog.say("idle: %s; %d segments (%d pure ACKs); %d reconnects", idle, tcp.segments(),
                        tcp.pureAcks(), reconnects);

                report(cameras, alertsPerDay, images, alerts, backup, idle, tcp, recorder.outbox().usage().view());
            }
        } finally {
            TempDirs.delete(data);
        }
        System.exit(0);
    }

    /** Cameras as a site configures them (credentials in the URL), on a closed port: their config is what counts. */
    private static List<CameraConfig> configuredCameras(int count) {
        List<CameraConfig> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(new CameraConfig("cam-" + i, "Camera " + i + " (loading bay)",
                    URI.create("rtsp://admin:Str0ng-Passw0rd@127.0.0.1:9/Streaming/Channels/" + i + "01"),
                    URI.create("rtsp://admin:Str0ng-Passw0rd@127.0.0.1:9/Streaming/Channels/" + i + "02")));
        }
        return list;
    }

    private static Phase phase(CountingProxy proxy, Recorder recorder, BooleanSupplier done) throws Exception {
        return phase(proxy, recorder, () -> true, done);
    }

    /** Runs {@code action}, waits for {@code done}, then 2 s more for the last acknowledgement's bytes. */
    private static Phase phase(CountingProxy proxy, Recorder recorder, BooleanSupplier action, BooleanSupplier done)
            throws Exception {
        long before = proxy.upstream.snapshot().bytes() + proxy.downstream.snapshot().bytes();
        Map<String, Long> counted0 = totals(recorder.outbox().usage().view());
        long start = System.nanoTime();
        action.getAsBoolean();
        await("phase done", Duration.ofMinutes(30), done);
        Thread.sleep(2000);
        long after = proxy.upstream.snapshot().bytes() + proxy.downstream.snapshot().bytes();
        Map<String, Long> counted = totals(recorder.outbox().usage().view());
        counted.replaceAll((k, v) -> v - counted0.getOrDefault(k, 0L));
        counted.values().removeIf(v -> v == 0);
        return new Phase(after - before, (System.nanoTime() - start) / 1e9, counted);
    }

    private static BooleanSupplier sleeper(long seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        return () -> System.nanoTime() - end >= 0;
    }

    private static long counted(Recorder recorder, String category) {
        return totals(recorder.outbox().usage().view()).getOrDefault(category, 0L);
    }

    private static Map<String, Long> totals(DataUsageView view) {
        Map<String, Long> sum = new java.util.TreeMap<>();
        view.days().forEach(day -> day.bytes().forEach((k, v) -> sum.merge(k, v, Long::sum)));
        return sum;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + ": not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static void report(int cameras, int alertsPerDay, Phase images, Phase alerts, Phase backup, Phase idle,
                               TcpSegments.Totals tcp, DataUsageView usage) {
        // Baseline: the idle window less nothing (it carried nothing else), scaled to a day; real segments.
        double idleRate = idle.wireBytes() / idle.seconds();
        double baselineDay = (idle.wireBytes() + tcp.segments() * (double) IdleLinkBytes.HEADER_BYTES_PER_SEGMENT)
                * DAY / idle.seconds();
        // A burst's own bytes: its wire bytes less the idle rate over its length, plus estimated headers.
        double imagesDay = 2 * burst(images, idleRate);
        double alertsAll = burst(alerts, idleRate);
        long alertContent = alerts.counted().getOrDefault(DataUsage.ALERTS, 0L);
        long imageContent = alerts.counted().getOrDefault(DataUsage.ALERT_IMAGES, 0L);
        double alertShare = (double) alertContent / Math.max(1, alertContent + imageContent);
        double alertsDay = alertsAll * alertShare;
        double alertImagesDay = alertsAll - alertsDay;
        double backupDay = burst(backup, idleRate) / 7;

        Map<String, Double> ours = new LinkedHashMap<>();
        ours.put(DataUsage.BASELINE, baselineDay);
        ours.put(DataUsage.CONFIG_BACKUPS, backupDay);
        ours.put(DataUsage.ALERTS, alertsDay);
        ours.put(DataUsage.ALERT_IMAGES, alertImagesDay);
        ours.put(DataUsage.DAY_NIGHT_IMAGES, imagesDay);
        Map<String, Double> countedDay = new LinkedHashMap<>();
        countedDay.put(DataUsage.BASELINE, idle.counted().getOrDefault(DataUsage.BASELINE, 0L) * DAY / idle.seconds());
        countedDay.put(DataUsage.CONFIG_BACKUPS, backup.counted().getOrDefault(DataUsage.CONFIG_BACKUPS, 0L) / 7.0);
        countedDay.put(DataUsage.ALERTS, (double) alertContent);
        countedDay.put(DataUsage.ALERT_IMAGES, (double) imageContent);
        countedDay.put(DataUsage.DAY_NIGHT_IMAGES, 2.0 * images.counted().getOrDefault(DataUsage.DAY_NIGHT_IMAGES, 0L));

        BenchLog.say("");
        BenchLog.say("DataUsageMonth %s: %d cameras, 2 day/night times, %d alerts with images a day, weekly backup",
                Instant.now(), cameras, alertsPerDay);
        BenchLog.say("");
        BenchLog.say("| category | reference MB/30 days | reference MB/day | Outpost MB/30 days | Outpost MB/day"
                + " | counted by the recorder, MB/day |");
        BenchLog.say("|---|---|---|---|---|---|");
        double ourTotal = 0;
        double countedTotal = 0;
        for (var entry : REFERENCE.entrySet()) {
            double[] ref = entry.getValue();
            double our = ours.get(entry.getKey()) / 1e6;
            double counted = countedDay.get(entry.getKey()) / 1e6;
            ourTotal += our;
            countedTotal += counted;
            BenchLog.say("| %s | %.2f | %.2f | %.3f | %.4f | %.4f |", entry.getKey(), ref[0], ref[1], our * 30, our,
                    counted);
        }
        BenchLog.say("| **total** | %.2f | %.2f | **%.3f** | **%.4f** | %.4f |", REFERENCE_TOTAL[0], REFERENCE_TOTAL[1],
                ourTotal * 30, ourTotal, countedTotal);
        BenchLog.say("");
        BenchLog.say("ratio to the reference's total: %.4f (target <= 0.5: %s)", ourTotal / REFERENCE_TOTAL[1],
                ourTotal <= REFERENCE_TOTAL[1] / 2 ? "met" : "NOT met");
        BenchLog.say("per phase: images %d B on the wire (%d pictures, %s), alerts %d B (%s), backup %d B (%s),"
                + " idle %d B in %.0f s", images.wireBytes(), cameras, images.counted(), alerts.wireBytes(),
                alerts.counted(), backup.wireBytes(), backup.counted(), idle.wireBytes(), idle.seconds());
        BenchLog.say("the recorder's own table (GET /api/usage, last 30 days, this run): %s", usage.last30Days());
    }

    /** A burst's bytes on the wire less the idle link's over its length, plus estimated IPv4+TCP headers. */
    private static double burst(Phase phase, double idleRate) {
        double own = Math.max(0, phase.wireBytes() - idleRate * phase.seconds());
        return own + new Phase((long) own, phase.seconds(), Map.of()).headerEstimate();
    }
}
