package dev.outpost.recorder.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sample clips: made with FFmpeg/openh264 as the issue asks, split into pictures, and made only once. */
class SampleVideoTest {
    @TempDir
    Path cache;

    @Test
    void theDefaultsAreA4mpMainStreamAndAD1SubStreamAt15FpsWithAGopOf30() {
        assertThat(SampleSpec.hd(3)).isEqualTo(new SampleSpec(2560, 1440, 15, 30, 4_000_000, 10, 3));
        assertThat(SampleSpec.sd(3)).isEqualTo(new SampleSpec(704, 576, 15, 30, 800_000, 10, 3));
        assertThat(SampleSpec.hd(1).pictures()).isEqualTo(150);
        assertThat(SampleSpec.hd(1).ptsStep()).isEqualTo(6000);
    }

    @Test
    void aClipHasAKeyframeEvery30PicturesAt15FpsAndItsSizeInTheFormat() throws IOException {
        SampleSpec spec = new SampleSpec(640, 360, 15, 30, 600_000, 4, 1);

        SampleVideo video = SampleVideo.load(cache, spec);

        assertThat(video.format().width()).isEqualTo(640);
        assertThat(video.format().height()).isEqualTo(360);
        assertThat(video.format().codec()).startsWith("avc1.42"); // openh264: constrained baseline, no B-frames
        List<AccessUnit> pictures = video.pictures();
        assertThat(pictures).hasSize(60);
        assertThat(IntStream.range(0, pictures.size()).filter(i -> pictures.get(i).keyframe()).boxed())
                .containsExactly(0, 30);
        assertThat(IntStream.range(0, pictures.size()).mapToLong(i -> pictures.get(i).pts90k()).boxed())
                .containsExactlyElementsOf(IntStream.range(0, 60).mapToObj(i -> i * 6000L).toList());
        assertThat(video.durationPts()).isEqualTo(4 * 90_000L);
        for (AccessUnit picture : pictures) { // parameter sets live in the format, as a camera's SDP carries them
            assertThat(NalUnits.splitAvcc(picture.avcc())).isNotEmpty()
                    .allSatisfy(nal -> assertThat(NalUnits.isSlice(NalUnits.type(nal))).isTrue());
        }
    }

    @Test
    void theDefaultSubStreamComesOutAt800KbpsAndD1() throws IOException {
        SampleVideo video = SampleVideo.load(cache, SampleSpec.sd(2));

        assertThat(video.format().width()).isEqualTo(704);
        assertThat(video.format().height()).isEqualTo(576);
        assertThat(video.pictures()).hasSize(150);
        assertThat(video.pictures().stream().filter(AccessUnit::keyframe).count()).isEqualTo(5);
        assertThat((double) video.bitsPerSecond()).isCloseTo(800_000, within(200_000.0));
    }

    @Test
    void aClipIsMadeOnceThenReadFromTheCache() throws IOException {
        SampleSpec spec = new SampleSpec(320, 180, 15, 15, 200_000, 1, 4);
        SampleVideo first = SampleVideo.load(cache, spec);
        Path file = cache.resolve(spec.fileName());
        BasicFileAttributes made = Files.readAttributes(file, BasicFileAttributes.class);

        SampleVideo second = SampleVideo.load(cache, spec);

        BasicFileAttributes reused = Files.readAttributes(file, BasicFileAttributes.class);
        assertThat(reused.fileKey()).isEqualTo(made.fileKey()); // not replaced: a new clip is a new file (rename)
        assertThat(reused.lastModifiedTime()).isEqualTo(made.lastModifiedTime());
        assertThat(second.bytes()).isEqualTo(first.bytes());
        try (var files = Files.list(cache)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aDamagedCachedClipIsDeletedSoTheNextRunMakesItAgain() throws IOException {
        SampleSpec spec = new SampleSpec(320, 180, 15, 15, 200_000, 1, 5);
        Files.write(cache.resolve(spec.fileName()), new byte[] {0, 0, 1, 0x65, 1, 2, 3});

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleVideo.load(cache, spec))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged");

        assertThat(SampleVideo.load(cache, spec).pictures()).hasSize(15);
    }

    @Test
    void closingWhileEncodingStopsTheEncoderAndLeavesNoFileBehind() throws Exception {
        SampleSpec spec = new SampleSpec(1280, 720, 15, 30, 2_000_000, 10, 6);
        AtomicBoolean closing = new AtomicBoolean();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                SampleVideo.load(cache, spec, closing::get);
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> temporaryFiles().size() == 1);

        closing.set(true);

        assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
        assertThat(temporaryFiles()).isEmpty();
        assertThat(cache.resolve(spec.fileName())).doesNotExist();
    }

    @Test
    void temporaryFilesLeftByAnEarlierRunAreDeletedWhenTheNextClipIsMade() throws IOException {
        Files.createDirectories(cache);
        Path stale = Files.createFile(cache.resolve("sample-v1-cam9-2560x1440-15fps-gop30-4000k-10s.h264123.tmp"));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path recent = Files.createFile(cache.resolve("sample-v1-cam8-2560x1440-15fps-gop30-4000k-10s.h264456.tmp"));

        SampleVideo.load(cache, new SampleSpec(320, 180, 15, 15, 200_000, 1, 3));

        assertThat(stale).doesNotExist();
        assertThat(recent).exists(); // perhaps another run's clip in the making
    }

    private List<Path> temporaryFiles() throws IOException {
        try (var files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
