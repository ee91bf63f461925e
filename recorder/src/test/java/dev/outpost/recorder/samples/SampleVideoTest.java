package dev.outpost.recorder.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.NalUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
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
}
