package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures, not a pass/fail test (docs/benchmarks.md): time to first video bytes per path in the lab, with 20 ms
 * of WAN delay each way ({@link NetworkLab#delayWan}). Runs only when {@code OUTPOST_LAB_FIGURES=1}:
 *
 * <pre>OUTPOST_LAB_FIGURES=1 mvn -pl lab -am test -Dtest=PathFigures -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * For each path it runs {@code outpost connect --get live.mp4} five times and prints the median of the race
 * (broker answered until a path answered) and of the first bytes of video (from asking on the chosen path: the
 * init segment and the cached keyframe), whose sum is the time to first frame once the broker has answered.
 */
class PathFigures {
    private static final int ROUNDS = 5;
    private static final Pattern CONNECTED = Pattern.compile("Connected to .* by (\\w+): \\S+ in (\\d+) ms");
    private static final Pattern FIRST = Pattern.compile("First bytes after (\\d+) ms");

    @Test
    void timeToFirstFramePerPath(@TempDir Path dir) {
        Assumptions.assumeTrue("1".equals(System.getenv("OUTPOST_LAB_FIGURES")),
                "figures run only with OUTPOST_LAB_FIGURES=1");
        try (ShopLab shop = ShopLab.start(dir, Duration.ofMillis(20))) {
            String delay = "20 ms each way between WAN hosts";
            NetworkLab lab = shop.lab();
            LabOutpost.Viewer siteB = shop.siteB();
            LabOutpost.Viewer siteA = shop.siteA();
            LabOutpost.Recorder recorder = shop.recorder();
            lab.routerA().forward(8443, lab.recorder(), 7443);
            // Warm the sample clip and the GOP cache once.
            siteB.connect(recorder, "/api/cameras/sample-1/live.mp4?stream=sd", dir.resolve("warm.mp4"), 50_000)
                    .requireSuccess();

            StringBuilder table = new StringBuilder("\nTime to first frame by path, WAN delay: " + delay
                    + "\n| path | race (median ms) | first bytes (median ms) | sum |\n|---|---|---|---|\n");
            table.append(row("lan", siteA, recorder, dir));
            table.append(row("relay", siteB, recorder, dir));
            siteB.cli("cloud", "recorder", "network", recorder.id(), "--direct", "https://203.0.113.11:8443")
                    .requireSuccess();
            table.append(row("direct", siteB, recorder, dir));
            // Direct Connect still configured, but the router lost its forward: the race falls back to the relay.
            lab.routerA().removeForwards();
            table.append(row("relay", "direct dead, so relay", siteB, recorder, dir));
            System.out.println(table);
        }
    }

    private static String row(String kind, LabOutpost.Viewer viewer, LabOutpost.Recorder recorder, Path dir) {
        return row(kind, kind, viewer, recorder, dir);
    }

    private static String row(String kind, String label, LabOutpost.Viewer viewer, LabOutpost.Recorder recorder,
                              Path dir) {
        List<Long> races = new ArrayList<>();
        List<Long> firsts = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String out = viewer.connect(recorder, "/api/cameras/sample-1/live.mp4?stream=sd",
                    dir.resolve(label.replace(' ', '-') + round + ".mp4"), 50_000, "--no-p2p")
                    .requireSuccess().stdout();
            Matcher connected = CONNECTED.matcher(out);
            Matcher first = FIRST.matcher(out);
            assertThat(connected.find() && first.find()).as(out).isTrue();
            assertThat(connected.group(1)).isEqualTo(kind);
            races.add(Long.parseLong(connected.group(2)));
            firsts.add(Long.parseLong(first.group(1)));
        }
        long race = median(races);
        long firstBytes = median(firsts);
        return "| " + label + " | " + race + " | " + firstBytes + " | " + (race + firstBytes) + " |\n";
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
