package dev.outpost.recorder.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.cameras.CameraStatus;
import dev.outpost.recorder.cameras.StreamKind;
import dev.outpost.recorder.cameras.VideoSink;
import dev.outpost.recorder.live.LiveHub;
import dev.outpost.recorder.live.LiveViewer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sample stream plays its clip in a loop, in real time, with times that keep growing, and a viewer can decode it. */
class SampleStreamTest {
    /** One second, a keyframe every 15 pictures: a loop comes round quickly. */
    private static final SampleSpec SHORT = new SampleSpec(320, 180, 15, 15, 300_000, 1, 7);

    @TempDir
    static Path cache;
    private static EventLoopGroup group;
    private static ExecutorService blocking;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        blocking = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
    }

    private static SampleStream stream(SampleSpec spec) {
        return new SampleStream("sample-7", StreamKind.MAIN, () -> SampleVideo.load(cache, spec), group.next(), blocking,
                Clock.systemUTC());
    }

    @Test
    void theLoopKeepsPresentationTimesGrowingAcrossTheWrapAndStampsCaptureTimesFromTheClock() {
        Recording sink = new Recording();
        long startMicros = System.currentTimeMillis() * 1000;
        try (SampleStream stream = stream(SHORT)) {
            stream.addSink(sink);
            stream.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> sink.units.size() >= 40); // past two wraps
            assertThat(stream.status().state()).isEqualTo(CameraStatus.State.STREAMING);
            assertThat(stream.status().resolution()).contains(new CameraStatus.Resolution(320, 180));
        }
        assertThat(sink.formats).hasSize(1);
        List<AccessUnit> units = List.copyOf(sink.units);
        for (int i = 0; i < units.size(); i++) {
            assertThat(units.get(i).pts90k()).as("pts of picture %d", i).isEqualTo(i * 6000L);
            assertThat(units.get(i).keyframe()).as("keyframe %d", i).isEqualTo(i % 15 == 0);
            assertThat(units.get(i).captureMicros()).isGreaterThanOrEqualTo(startMicros);
        }
        // Real time: 40 pictures at 15 fps take about 2.6 s of capture clock.
        long span = units.get(39).captureMicros() - units.get(0).captureMicros();
        assertThat(span).isBetween(2_000_000L, 6_000_000L); // a late event loop catches up, within bounds
    }

    @Test
    void aSinkAddedWhilePlayingGetsTheFormatFirst() {
        try (SampleStream stream = stream(SHORT)) {
            Recording first = new Recording();
            stream.addSink(first);
            stream.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.units.size() >= 3);

            Recording late = new Recording();
            stream.addSink(late);

            await().atMost(Duration.ofSeconds(5)).until(() -> late.units.size() >= 2);
            assertThat(late.events.getFirst()).isEqualTo("format");
        }
    }

    @Test
    void aClipThatCannotBeMadeLeavesTheStreamFailedWithTheReason() {
        try (SampleStream stream = new SampleStream("sample-9", StreamKind.SUB, () -> {
            throw new IOException("disk full");
        }, group.next(), blocking, Clock.systemUTC())) {
            stream.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.status().state() == CameraStatus.State.FAILED);
            assertThat(stream.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains("disk full"));
        }
    }

    @Test
    void aViewerOfALiveHubFedBySampleVideoGetsFmp4ThatFfmpegDecodesAcrossTheLoop(@TempDir Path dir)
            throws IOException, InterruptedException {
        LiveHub hub = new LiveHub("sample-7/hd");
        LiveViewer viewer = hub.subscribe();
        ByteArrayOutputStream fmp4 = new ByteArrayOutputStream();
        try (SampleStream stream = stream(SHORT)) {
            stream.addSink(hub);
            stream.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                viewer.poll().ifPresent(fmp4::writeBytes);
                return hub.stats().picturesIn() >= 35; // two wraps
            });
        }
        viewer.poll().ifPresent(fmp4::writeBytes);
        hub.close();
        Path file = dir.resolve("live.mp4");
        Files.write(file, fmp4.toByteArray());

        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-i", file.toString(),
                "-f", "null", "-").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(output).isZero();
        assertThat(output).isBlank();

        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", file.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        String probed = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String[] fields = probed.split(",");
        assertThat(fields).as(probed).hasSize(3);
        assertThat(fields[0]).isEqualTo("320");
        assertThat(fields[1]).isEqualTo("180");
        assertThat(Integer.parseInt(fields[2])).isGreaterThanOrEqualTo(30);
    }

    /** Remembers what a sink heard. */
    private static final class Recording implements VideoSink {
        final List<StreamFormat> formats = new CopyOnWriteArrayList<>();
        final List<AccessUnit> units = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onFormat(StreamFormat format) {
            formats.add(format);
            events.add("format");
        }

        @Override
        public void onAccessUnit(AccessUnit unit) {
            units.add(unit);
            events.add("picture");
        }

        @Override
        public void onInterruption(String reason) {
            events.add("interruption");
        }
    }
}
