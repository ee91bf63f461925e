package dev.outpost.recorder.live;

import static dev.outpost.recorder.live.LiveTestVideo.FORMAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.recorder.cameras.StreamKind;
import org.junit.jupiter.api.Test;

class LiveHubsTest {
    @Test
    void oneHubPerCameraStreamFoundByTheHttpSideAndClosedWithItsCamera() {
        try (LiveHubs hubs = new LiveHubs()) {
            LiveHub hd = hubs.hub("cam-1", StreamKind.MAIN);
            assertThat(hubs.hub("cam-1", StreamKind.MAIN)).isSameAs(hd);
            assertThat(hubs.hub("cam-1", StreamKind.SUB)).isNotSameAs(hd);
            assertThat(hubs.find("cam-1", StreamKind.MAIN)).containsSame(hd);
            assertThat(hubs.find("cam-2", StreamKind.MAIN)).isEmpty();

            hd.onFormat(FORMAT);
            hd.onAccessUnit(LiveTestVideo.picture(0, 30));
            LiveViewer viewer = hd.subscribe();
            hubs.remove("cam-1");
            assertThat(hubs.find("cam-1", StreamKind.MAIN)).isEmpty();
            assertThat(viewer.poll()).isPresent(); // init segment
            assertThat(viewer.poll()).isPresent(); // the keyframe
            assertThat(viewer.poll()).isEmpty();
            assertThat(viewer.isFinished()).isTrue();
            viewer.close();
        }
    }
}
