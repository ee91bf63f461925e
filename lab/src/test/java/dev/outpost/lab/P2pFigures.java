package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures, not a pass/fail test (docs/benchmarks.md): P2P setup time (signalling through the relay, ICE, QUIC
 * handshake) and P2P vs relay throughput, in the lab with both sites behind endpoint-independent NATs, with 20 ms
 * of WAN delay each way between WAN hosts ({@link NetworkLab#delayWan}). Runs only when {@code OUTPOST_LAB_FIGURES=1}:
 *
 * <pre>OUTPOST_LAB_FIGURES=1 mvn -pl lab -am test -Dtest=P2pFigures -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class P2pFigures {
    private static final int ROUNDS = 20;
    private static final int SECONDS = 5;
    private static final Pattern SETUP = Pattern.compile("setup \\d+: total (\\d+) signalling (\\d+) ice (\\d+) quic (\\d+) gathering (\\d+)");
    private static final Pattern THROUGHPUT = Pattern.compile("throughput (\\w+): (\\d+) bytes in (\\d+) s");

    @Test
    void setupTimeAndThroughput(@TempDir Path dir) {
        Assumptions.assumeTrue("1".equals(System.getenv("OUTPOST_LAB_FIGURES")),
                "figures run only with OUTPOST_LAB_FIGURES=1");
        try (ShopLab shop = ShopLab.start(dir, Duration.ofMillis(20))) {
            String delay = "20 ms each way between WAN hosts";
            NetworkLab lab = shop.lab();
            LabOutpost.Recorder recorder = shop.recorder();
            Path config = lab.dir().resolve("viewer-" + lab.viewerB().role());
            LabJvm.Finished probe = LabJvm.run(lab.viewerB(), dir.resolve("probe"),
                    Map.of("OUTPOST_CONFIG_DIR", config.toString()), Duration.ofMinutes(5), P2pProbe.class.getName(),
                    List.of(recorder.id(), Integer.toString(ROUNDS), Integer.toString(SECONDS)));
            if (probe.exitCode() != 0) {
                System.out.println("The probe failed; the recorder's last lines:\n" + recorder.process().tail());
            }
            String out = probe.requireSuccess().stdout();
            List<List<Long>> steps = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
            Matcher setup = SETUP.matcher(out);
            while (setup.find()) {
                for (int i = 0; i < 5; i++) {
                    steps.get(i).add(Long.parseLong(setup.group(i + 1)));
                }
            }
            assertThat(steps.getFirst()).as(out).hasSize(ROUNDS);
            StringBuilder table = new StringBuilder("\nP2P setup, " + ROUNDS + " rounds in one viewer JVM, WAN delay: "
                    + delay + "\n| step | median ms | p95 ms |\n|---|---|---|\n");
            String[] names = {"total", "signalling (ICE agent made, offer to answer, through the relay)",
                "ICE (answer to selected pair)", "QUIC handshake", "of signalling: making the viewer's ICE agent"};
            for (int i = 0; i < 5; i++) {
                table.append("| ").append(names[i]).append(" | ").append(percentile(steps.get(i), 50)).append(" | ")
                        .append(percentile(steps.get(i), 95)).append(" |\n");
            }
            table.append("\nThroughput of one unpaced stream (GET /api/stream?rate=0), ").append(SECONDS)
                    .append(" s each, same run\n| path | MB/s |\n|---|---|\n");
            Matcher throughput = THROUGHPUT.matcher(out);
            while (throughput.find()) {
                table.append("| ").append(throughput.group(1)).append(" | ").append(String.format("%.1f",
                        Long.parseLong(throughput.group(2)) / 1e6 / Long.parseLong(throughput.group(3)))).append(" |\n");
            }
            table.append("\nOne request through the relay, for comparison (GET /api/info, POST /api/echo 600 B, ms):");
            out.lines().filter(line -> line.startsWith("relay round trip")).forEach(line -> table.append("\n").append(line));
            System.out.println(table);
        }
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
