package dev.outpost.bench;

import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.testkit.Chromium;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The web client's live grid in Debian's Chromium over the relay on loopback: the time from choosing the
 * 4-tile layout to all four tiles playing (video shown and advancing), over several rounds (each first
 * going to one tile and back), then each tile's live latency (wall clock minus the capture time the
 * stream's {@code prft} carries for the picture on screen) read once a second for {@code --minutes},
 * printed per minute so a growing latency shows.
 *
 * <pre>bench/run WebLiveGrid [--rounds 5] [--minutes 10]</pre>
 *
 * <p>Needs {@code apt-get install chromium chromium-driver}. One cloud and one recorder with four sample
 * cameras, both in this JVM; the browser is its own processes.
 */
public final class WebLiveGrid {
    /** Each tile's state and video, and its latency computed now (a frozen picture's latency grows). */
    private static final String TILES = """
            return [...document.querySelectorAll('.grid .tile')].map((t) => {
              const latency = t.outpostPlayer ? t.outpostPlayer.latencyMs() : NaN;
              return { state: t.dataset.state || '', width: t.querySelector('video').videoWidth,
                time: t.querySelector('video').currentTime, latency: Number.isFinite(latency) ? latency : -1 };
            });""";

    public static void main(String[] argv) throws Exception {
        BenchLog.quiet();
        Args args = new Args(argv);
        int rounds = (int) args.number("rounds", 5);
        long minutes = args.number("minutes", 10);
        args.done();

        Path data = TempDirs.create("outpost-bench-web-");
        try (BenchCloud cloud = BenchCloud.start(data.resolve("cloud"));
             Recorder recorder = Recorder.start(RecorderConfig.defaults(data.resolve("recorder"))
                     .withLocal(LocalHttpConfig.defaults().withPort(0))
                     .withSampleCameras(4)
                     .withActivation(cloud.url(), cloud.activationCode("web")))) {
            String recorderId = recorder.identity().recorderId();
            waitUntil(30_000, "the recorder online", () -> cloud.server().links().isOnline(recorderId));
            try (Chromium browser = Chromium.start(data.resolve("chromium"), cloud.url(),
                    data.resolve("cloud").resolve("tls/cloud.crt"))) {
                browser.open("/");
                browser.find("input[name=email]").sendKeys(BenchCloud.ADMIN_EMAIL);
                browser.find("input[name=password]").sendKeys(BenchCloud.ADMIN_PASSWORD);
                browser.find("#login button[type=submit]").click();
                waitUntil(30_000, "four cameras listed", () -> browser.findAll(".recorders .camera").size() == 4);
                String protocol = browser.script(
                        "return performance.getEntriesByType('navigation')[0].nextHopProtocol;");

                BenchLog.say("web: Chromium %s, page over %s; %d rounds of 1 tile -> 4 tiles", Chromium.BINARY,
                        protocol, rounds);
                long[] openMillis = new long[rounds + 1];
                for (int round = 0; round <= rounds; round++) { // round 0 warms up
                    browser.find("button[data-layout='1']").click();
                    waitUntil(30_000, "one tile playing", () -> playing(browser, 1));
                    browser.find("button[data-layout='4']").click();
                    long start = System.nanoTime();
                    waitUntil(30_000, "four tiles playing", () -> playing(browser, 4));
                    openMillis[round] = (System.nanoTime() - start) / 1_000_000;
                    BenchLog.say("web: round %d: all four tiles playing after %d ms%s", round, openMillis[round],
                            round == 0 ? " (warm-up)" : "");
                }
                long[] measured = Arrays.copyOfRange(openMillis, 1, openMillis.length);
                Arrays.sort(measured);
                BenchLog.say("web: 4-tile grid to all playing: median %d ms, max %d ms over %d rounds",
                        measured[measured.length / 2], measured[measured.length - 1], measured.length);

                List<Double> all = new ArrayList<>();
                double[] lastTimes = new double[4];
                long frozenTotal = 0;
                for (long minute = 1; minute <= minutes; minute++) {
                    List<Double> thisMinute = new ArrayList<>();
                    long frozen = 0;
                    long end = System.nanoTime() + 60_000_000_000L;
                    while (System.nanoTime() < end) {
                        List<Map<String, Object>> tiles = tiles(browser);
                        for (int i = 0; i < tiles.size() && i < lastTimes.length; i++) {
                            double latency = ((Number) tiles.get(i).get("latency")).doubleValue();
                            double time = ((Number) tiles.get(i).get("time")).doubleValue();
                            if (latency >= 0) {
                                thisMinute.add(latency);
                            }
                            if (time <= lastTimes[i]) {
                                frozen++; // the picture did not move for a whole second
                            }
                            lastTimes[i] = time;
                        }
                        Thread.sleep(1000); // a sampling period, not a wait for something
                    }
                    all.addAll(thisMinute);
                    frozenTotal += frozen;
                    BenchLog.say("web: minute %d: tile latency median %.0f ms, p95 %.0f ms, max %.0f ms (%d samples, "
                                    + "%d frozen)", minute, percentile(thisMinute, 0.5), percentile(thisMinute, 0.95),
                            percentile(thisMinute, 1.0), thisMinute.size(), frozen);
                }
                BenchLog.say("web: tile-seconds with a frozen picture: %d of %d", frozenTotal, all.size());
                BenchLog.say("web: over %d min: tile latency median %.0f ms, p95 %.0f ms, max %.0f ms", minutes,
                        percentile(all, 0.5), percentile(all, 0.95), percentile(all, 1.0));
            }
        } finally {
            TempDirs.delete(data);
        }
    }

    private static List<Map<String, Object>> tiles(Chromium browser) {
        return browser.script(TILES);
    }

    /** `count` tiles, each playing a picture that is moving. */
    private static boolean playing(Chromium browser, int count) {
        List<Map<String, Object>> tiles = tiles(browser);
        return tiles.size() == count && tiles.stream().allMatch(t -> "playing".equals(t.get("state"))
                && ((Number) t.get("width")).intValue() > 0 && ((Number) t.get("time")).doubleValue() > 0);
    }

    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static void waitUntil(long millis, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + millis / 1000 + " s");
            }
            Thread.sleep(20);
        }
    }
}
