package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path scenarios in the lab, each streaming live video with {@code outpost connect} and checking the
 * path it took: a viewer on the recorder's LAN gets {@code lan}; a viewer at another site gets {@code direct} when
 * the site forwards a port and Direct Connect is configured, {@code relay} otherwise; and a Direct Connect whose
 * forward is broken costs under 2 s, at the start or in the middle of a stream. One lab, cloud and recorder serve
 * every scenario; each sets up the forwards and settings it needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathScenariosTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PathScenariosTest.class);
    private static final String LIVE = "/api/cameras/sample-1/live.mp4?stream=sd";
    private static final Pattern CONNECTED = Pattern.compile("Connected to .* by (\\w+): (\\S+) in (\\d+) ms");
    private static final Pattern SWITCHED = Pattern.compile("Switched to (\\w+): (\\S+) in (\\d+) ms");
    private static final int FORWARDED_PORT = 8443;
    private static final int RECORDER_PORT = 7443;
    private static final String DIRECT = "https://203.0.113.11:" + FORWARDED_PORT;

    Path dir;
    ShopLab shop;
    NetworkLab lab;
    LabOutpost outpost;
    LabOutpost.Viewer siteB;
    LabOutpost.Viewer siteA;
    LabOutpost.Recorder recorder;

    @BeforeAll
    void startLabCloudAndRecorder(@TempDir Path tempDir) {
        dir = tempDir;
        shop = ShopLab.start(dir);
        lab = shop.lab();
        outpost = shop.outpost();
        siteB = shop.siteB();
        siteA = shop.siteA();
        recorder = shop.recorder();
    }

    @AfterAll
    void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    @BeforeEach
    void noForwardsNoDirectConnect() {
        lab.routerA().unblock();
        lab.routerA().removeForwards();
        siteB.cli("cloud", "recorder", "network", recorder.id(), "--no-direct", "--lan-forwarding", "on").requireSuccess();
    }

    @Test
    void aViewerOnTheRecordersLanGetsLanSmartForwarding() throws Exception {
        Matcher path = stream(siteA, "lan.mp4");
        assertThat(path.group(1)).isEqualTo("lan");
        assertThat(path.group(2)).isEqualTo("https://" + lab.recorder().address() + ":" + RECORDER_PORT);
    }

    @Test
    void aViewerElsewhereGoesDirectThroughAPortForward() throws Exception {
        lab.routerA().forward(FORWARDED_PORT, lab.recorder(), RECORDER_PORT);
        siteB.cli("cloud", "recorder", "network", recorder.id(), "--direct", DIRECT).requireSuccess();
        Matcher path = stream(siteB, "direct.mp4");
        assertThat(path.group(1)).isEqualTo("direct");
        assertThat(path.group(2)).isEqualTo(DIRECT);
    }

    @Test
    void aViewerElsewhereWithoutAForwardUsesTheRelay() throws Exception {
        Matcher path = stream(siteB, "relay.mp4");
        assertThat(path.group(1)).isEqualTo("relay");
    }

    @Test
    void aDirectConnectWithoutItsForwardCostsTheRelayUnderTwoSeconds() throws Exception {
        siteB.cli("cloud", "recorder", "network", recorder.id(), "--direct", DIRECT).requireSuccess();
        Matcher path = stream(siteB, "broken.mp4");
        assertThat(path.group(1)).isEqualTo("relay");
        assertThat(Long.parseLong(path.group(3))).as("ms until a path answered").isLessThan(2000);
    }

    @Test
    void aForwardThatBreaksMidStreamMovesTheViewerToTheRelayWithinTwoSeconds() throws Exception {
        lab.routerA().forward(FORWARDED_PORT, lab.recorder(), RECORDER_PORT);
        siteB.cli("cloud", "recorder", "network", recorder.id(), "--direct", DIRECT).requireSuccess();
        Path capture = dir.resolve("failover.mp4");
        try (LabJvm viewer = siteB.startConnect(recorder, LIVE, capture, 1_200_000)) {
            assertThat(viewer.await(CONNECTED, LabOutpost.START_TIMEOUT).group(1)).isEqualTo("direct");
            org.awaitility.Awaitility.await("video by the direct path").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(capture) && Files.size(capture) > 200_000);

            lab.routerA().breakForwards(lab.recorder(), RECORDER_PORT);
            Matcher switched = viewer.await(SWITCHED, Duration.ofSeconds(10));
            assertThat(switched.group(1)).isEqualTo("relay");
            log.info("failover from {}: {}", siteB.host(), switched.group(0));
            // Noticed after 1 s without data, then the relay won the race:
            assertThat(Long.parseLong(switched.group(3))).as("ms until the relay answered").isLessThan(1000);
            viewer.await(Pattern.compile("Saved \\d+ bytes to .* by relay"), Duration.ofSeconds(60));
        }
        List<Path> streams = LiveVideo.streams(capture);
        assertThat(streams).hasSize(2);
        for (Path stream : streams) {
            assertThat(LiveVideo.probe(stream)).isEqualTo("h264,704,576");
            assertThat(LiveVideo.decodedFrames(stream)).isGreaterThan(5);
        }
    }

    /** Streams live video with {@code outpost connect}; checks it decodes; returns the Connected line. */
    private Matcher stream(LabOutpost.Viewer viewer, String name) throws Exception {
        Path capture = dir.resolve(name);
        // P2P (P2pScenariosTest) would take over from the relay: these scenarios are about the race.
        LabJvm.Finished run = viewer.connect(recorder, LIVE, capture, 300_000, "--no-p2p").requireSuccess();
        Matcher connected = CONNECTED.matcher(run.stdout());
        assertThat(connected.find()).as(run.stdout()).isTrue();
        log.info("{} from {}: {}", name, viewer.host(), run.stdout().strip().replace("\n", " | "));
        assertThat(run.stdout()).contains("Saved 300000 bytes").doesNotContain("Switched");
        assertThat(LiveVideo.probe(capture)).isEqualTo("h264,704,576");
        assertThat(LiveVideo.decodedFrames(capture)).isGreaterThan(10);
        return connected;
    }
}
