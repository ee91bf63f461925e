package dev.outpost.recorder.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.live.LiveHubs;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample camera looks like a configured one: an id, a name, an HD and an SD stream feeding live hubs; many share
 * the clips of a few.
 */
class SampleCameraTest {
    @TempDir
    Path cache;

    @Test
    void bothStreamsOfASampleCameraFeedTheirLiveHubsAtTheirOwnSizes() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ExecutorService encoder = Executors.newSingleThreadExecutor();
        LiveHubs live = new LiveHubs();
        try (SampleCamera camera = new SampleCamera(2, new SampleSpec(640, 360, 15, 15, 500_000, 1, 2),
                new SampleSpec(320, 180, 15, 15, 150_000, 1, 2), cache, group, encoder)) {
            assertThat(camera.id()).isEqualTo("sample-2");
            assertThat(camera.name()).isEqualTo("Sample camera 2");
            for (StreamKind kind : StreamKind.values()) {
                camera.stream(kind).addSink(live.hub(camera.id(), kind));
            }

            camera.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> camera.status().values().stream()
                    .allMatch(s -> s.state() == CameraStatus.State.STREAMING && s.accessUnits() >= 20));
            assertThat(camera.status().get(StreamKind.MAIN).resolution()).contains(new CameraStatus.Resolution(640, 360));
            assertThat(camera.status().get(StreamKind.SUB).resolution()).contains(new CameraStatus.Resolution(320, 180));
            assertThat(camera.status().get(StreamKind.MAIN).framesPerSecond()).isEqualTo(15.0);
            assertThat(live.find("sample-2", StreamKind.MAIN).orElseThrow().stats().picturesIn()).isGreaterThanOrEqualTo(20);
            assertThat(live.find("sample-2", StreamKind.SUB).orElseThrow().stats().picturesIn()).isGreaterThanOrEqualTo(20);
        } finally {
            live.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            encoder.shutdownNow();
        }
        assertThat(cache.resolve(new SampleSpec(640, 360, 15, 15, 500_000, 1, 2).fileName())).exists();
    }

    @Test
    void theDefaultSampleCamerasAreNamedSample1ToN(@TempDir Path emptyCache) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SampleCameras samples = SampleCameras.create(4, emptyCache, group)) {
            assertThat(samples.cameras()).extracting(SampleCamera::id)
                    .containsExactly("sample-1", "sample-2", "sample-3", "sample-4");
            assertThat(samples.cameras().getFirst().status().get(StreamKind.MAIN).state())
                    .isEqualTo(CameraStatus.State.CONNECTING); // not started: nothing encoded
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void manySampleCamerasShareTheClipsOfAFewInTurn(@TempDir Path emptyCache) {
        assertThat(IntStream.rangeClosed(1, 9).map(n -> SampleCameras.clipOf(n, 4)).boxed())
                .containsExactly(1, 2, 3, 4, 1, 2, 3, 4, 1);
        assertThat(IntStream.rangeClosed(1, 3).map(n -> SampleCameras.clipOf(n, 1)).boxed()).containsExactly(1, 1, 1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SampleCameras samples = SampleCameras.create(6, 4, emptyCache, group)) {
            assertThat(samples.cameras()).extracting(SampleCamera::id)
                    .containsExactly("sample-1", "sample-2", "sample-3", "sample-4", "sample-5", "sample-6");
            assertThat(samples.cameras()).extracting(SampleCamera::clip).containsExactly(1, 2, 3, 4, 1, 2);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void byDefaultEachCameraUpToThe16thPlaysItsOwnClip(@TempDir Path emptyCache) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SampleCameras four = SampleCameras.create(4, emptyCache, group);
             SampleCameras eighteen = SampleCameras.create(18, emptyCache, group)) {
            assertThat(four.cameras()).extracting(SampleCamera::clip).containsExactly(1, 2, 3, 4);
            assertThat(eighteen.cameras().subList(14, 18)).extracting(SampleCamera::clip).containsExactly(15, 16, 1, 2);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void clipsCannotOutnumberTheCamerasThatShareThem(@TempDir Path emptyCache) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertThatThrownBy(() -> SampleCameras.create(4, 5, emptyCache, group))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give 1 to 4");
            assertThatThrownBy(() -> SampleCameras.create(4, 0, emptyCache, group))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aClipSharedByCamerasIsLoadedOnceAndPlayedFromTheSamePictures() throws Exception {
        SampleClips clips = new SampleClips(cache);
        SampleSpec spec = new SampleSpec(320, 180, 15, 15, 150_000, 1, 3);

        SampleVideo first = clips.load(spec, () -> false);
        SampleVideo second = clips.load(spec, () -> false);

        assertThat(second).isSameAs(first);
        assertThat(first.pictures()).hasSize(15);
    }
}
