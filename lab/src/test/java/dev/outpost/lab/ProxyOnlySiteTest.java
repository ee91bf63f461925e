package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.testkit.Squid;
import dev.outpost.wire.api.RecorderView;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locked-down site: the recorder's LAN may open TCP connections to a squid proxy on its router and
 * nothing else (no DNS, no UDP, no direct TCP), and only squid can resolve the cloud's name. The recorder still
 * activates and links through the proxy, and a viewer at another site watches its live video by relay.
 */
class ProxyOnlySiteTest {

    @Test
    void aRecorderThatMayOnlyUseAProxyLinksThroughItAndAViewerElsewhereGetsLiveVideoByRelay(@TempDir Path dir)
            throws Exception {
        try (NetworkLab lab = NetworkLab.start(dir);
             Squid squid = Squid.builder().inNetworkNamespace(lab.routerA().netns(), lab.routerA().lanAddress())
                     .allowConnectPort(LabOutpost.CLOUD_PORT)
                     .resolve(LabOutpost.CLOUD_NAME, lab.cloud().address()).start();
             LabOutpost outpost = LabOutpost.start(lab)) {
            lab.routerA().allowOnlyProxy(squid.port());

            LabOutpost.Viewer viewer = outpost.viewer(lab.viewerB());
            LabOutpost.Recorder recorder = outpost.recorder(lab.recorder(), viewer, "Locked down",
                    outpost.cloudUrlByName(), "--proxy", squid.url().toString(), "--sample-cameras", "1",
                    "--local-port", "7080");
            RecorderView view = viewer.awaitOnline(recorder);
            assertThat(view.viaProxy()).isTrue();
            assertThat(view.publicAddress()).isEqualTo(lab.routerA().wanAddress());

            Path capture = dir.resolve("live.mp4");
            viewer.get(recorder, "/api/cameras/sample-1/live.mp4?stream=sd", capture, 400_000).requireSuccess();
            assertThat(LiveVideo.probe(capture)).isEqualTo("h264,704,576");
            assertThat(LiveVideo.decodedFrames(capture)).isGreaterThan(10);

            // Squid logs a tunnel when it closes: activation's is closed already.
            await().atMost(Duration.ofSeconds(10)).until(() -> squid.accessLog().stream()
                    .anyMatch(line -> line.contains("CONNECT " + LabOutpost.CLOUD_NAME + ":" + LabOutpost.CLOUD_PORT)));
        }
    }
}
