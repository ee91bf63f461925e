package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Issue 6's peer-to-peer scenarios (docs/p2p.md): the recorder at site A, a viewer at site B streaming live video
 * with {@code outpost connect}, which starts on the relay and upgrades to P2P when ICE finds a pair. Each scenario
 * sets the NATs (endpoint-independent {@code MASQUERADE}, endpoint-dependent {@code MASQUERADE --random-fully}) or
 * drops UDP, streams for several seconds, and checks the path and that the picture went on without a gap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class P2pScenariosTest {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(P2pScenariosTest.class);
    private static final String LIVE = "/api/cameras/sample-1/live.mp4?stream=sd";
    private static final Pattern CONNECTED = Pattern.compile("Connected to .* by (\\w+): (\\S+) in (\\d+) ms");
    private static final Pattern SWITCHED = Pattern.compile("Switched to (\\w+): (\\S+) in (\\d+) ms");
    private static final Pattern SET_UP = Pattern.compile(
            "P2p set up in (\\d+) ms \\(signalling (\\d+) ms, ICE (\\d+) ms, QUIC (\\d+) ms\\): (.*)\\.");
    private static final Pattern NOT_USED = Pattern.compile("P2p not used: (.*)\\.");
    private static final Pattern SAVED = Pattern.compile("Saved (\\d+) bytes to .* by (\\w+)");
    /** About 6 s of the sample camera's SD stream. */
    private static final long BYTES = 1_500_000;
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(120);

    Path dir;
    ShopLab shop;
    NetworkLab lab;
    LabOutpost outpost;
    LabOutpost.Viewer siteB;
    LabOutpost.Recorder recorder;

    @BeforeAll
    void startLabCloudAndRecorder(@TempDir Path tempDir) {
        dir = tempDir;
        shop = ShopLab.start(dir);
        lab = shop.lab();
        outpost = shop.outpost();
        siteB = shop.siteB();
        recorder = shop.recorder();
    }

    @AfterAll
    void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    @BeforeEach
    void endpointIndependentNatsWithUdp() {
        for (SiteRouter router : List.of(lab.routerA(), lab.routerB())) {
            router.randomPorts(false);
            router.dropUdp(false);
        }
    }

    @Test
    void bothSitesEndpointIndependentGoPeerToPeer() throws Exception {
        Matcher setUp = streamUpgradingToP2p("eim-eim.mp4");
        // The pair: the viewer's server-reflexive address at router B, the recorder's at router A.
        assertThat(setUp.group(5)).contains("srflx " + lab.routerA().wanAddress() + ":");
    }

    @Test
    void recorderSiteEndpointDependentStaysOnTheRelay() throws Exception {
        // RFC 4787: with endpoint-dependent mapping at A, the recorder's checks leave by a new port for the viewer's
        // address, which B's address-and-port-dependent filter drops, and the viewer's checks go to the port A
        // opened for the STUN server, which A's filter drops. No pair works.
        lab.routerA().randomPorts(true);
        streamStayingOnRelay("edm-eim.mp4");
    }

    @Test
    void viewerSiteEndpointDependentStaysOnTheRelay() throws Exception {
        // The mirror case: B maps the viewer's checks to A's address to a new port, which A's address-and-port-
        // dependent filter drops (A only let in the port B used towards the STUN server), and the recorder's checks
        // go to that STUN-facing port at B, which B's filter drops. Without port prediction no pair works.
        lab.routerB().randomPorts(true);
        streamStayingOnRelay("eim-edm.mp4");
    }

    @Test
    void bothSitesEndpointDependentStayOnTheRelay() throws Exception {
        lab.routerA().randomPorts(true);
        lab.routerB().randomPorts(true);
        streamStayingOnRelay("edm-edm.mp4");
    }

    @Test
    void udpDroppedAtTheRecordersSiteStaysOnTheRelay() throws Exception {
        lab.routerA().dropUdp(true);
        streamStayingOnRelay("udp-dropped-a.mp4");
    }

    @Test
    void udpDroppedAtTheViewersSiteStaysOnTheRelay() throws Exception {
        lab.routerB().dropUdp(true);
        streamStayingOnRelay("udp-dropped-b.mp4");
    }

    /** Streams from site B; checks it started on the relay and moved to P2P without a gap; returns the set-up line. */
    private Matcher streamUpgradingToP2p(String name) throws Exception {
        Path capture = dir.resolve(name);
        String out;
        try (LabJvm viewer = siteB.startConnect(recorder, LIVE, capture, BYTES)) {
            assertThat(viewer.await(CONNECTED, LabOutpost.START_TIMEOUT).group(1)).isEqualTo("relay");
            Matcher switched = viewer.await(SWITCHED, Duration.ofSeconds(30));
            assertThat(switched.group(1)).isEqualTo("p2p");
            assertThat(switched.group(2)).startsWith("quic://" + lab.routerA().wanAddress() + ":");
            Matcher saved = viewer.await(SAVED, STREAM_TIMEOUT);
            out = viewer.output();
            if (!saved.group(2).equals("p2p")) {
                log.error("viewer:\n{}\nrecorder:\n{}", out, recorder.process().tail());
            }
            assertThat(saved.group(2)).isEqualTo("p2p");
        }
        log.info("{}: {}", name, out.strip().replace("\n", " | "));
        Matcher setUp = SET_UP.matcher(out);
        assertThat(setUp.find()).as(out).isTrue();
        // The cloud counted the session on each path.
        outpost.cloudProcess().await(Pattern.compile("viewer of recorder " + recorder.id() + " on p2p"),
                Duration.ofSeconds(10));

        List<Path> streams = LiveVideo.streams(capture);
        assertThat(streams).as("the relay's answer, then the P2P one").hasSize(2);
        for (Path stream : streams) {
            assertThat(LiveVideo.probe(stream)).isEqualTo("h264,704,576");
        }
        assertThat(LiveVideo.decodedFrames(streams.get(0))).isGreaterThan(0);
        assertThat(LiveVideo.decodedFrames(streams.get(1))).as("seconds of video by P2P").isGreaterThan(50);
        // No gap: the P2P answer starts at a picture captured no later than the relay's last one (it starts at the
        // recorder's latest keyframe, so it may repeat a little).
        List<Long> relayTimes = LiveVideo.captureTimes(streams.get(0));
        List<Long> p2pTimes = LiveVideo.captureTimes(streams.get(1));
        assertThat(p2pTimes.getFirst()).as("first P2P picture vs last relay picture (ms)")
                .isLessThanOrEqualTo(relayTimes.getLast() + 100);
        return setUp;
    }

    /** Streams from site B; checks it stayed on the relay with the picture whole, and says why P2P was not used. */
    private void streamStayingOnRelay(String name) throws Exception {
        Path capture = dir.resolve(name);
        LabJvm.Finished run = siteB.connect(recorder, LIVE, capture, BYTES).requireSuccess();
        log.info("{}: {}", name, run.stdout().strip().replace("\n", " | "));
        Matcher connected = CONNECTED.matcher(run.stdout());
        assertThat(connected.find()).as(run.stdout()).isTrue();
        assertThat(connected.group(1)).isEqualTo("relay");
        assertThat(run.stdout()).doesNotContain("Switched");
        Matcher notUsed = NOT_USED.matcher(run.stdout());
        assertThat(notUsed.find()).as(run.stdout()).isTrue();
        assertThat(notUsed.group(1)).contains("ICE");
        assertThat(run.stdout()).containsPattern("Saved " + BYTES + " bytes to .* by relay");
        assertThat(LiveVideo.streams(capture)).hasSize(1);
        assertThat(LiveVideo.probe(capture)).isEqualTo("h264,704,576");
        assertThat(LiveVideo.decodedFrames(capture)).isGreaterThan(50);
    }
}
