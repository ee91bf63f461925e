package dev.outpost.recorder.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.samples.SampleSpec;
import dev.outpost.recorder.samples.SampleVideo;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots decode real H.264 (libx264 High, openh264 Baseline) and show the last picture; damage is refused. */
class SnapshotEncoderTest {
    /** 10 red pictures then 2 blue: the last picture differs from the first and from most before it. */
    private static ColourClip clip;

    @BeforeAll
    static void makeClip(@TempDir Path dir) {
        clip = ColourClip.make(dir, 320, 240, 10, 2);
    }

    @Test
    void theJpegShowsTheLastPictureGivenNotTheFirst() throws Exception {
        Snapshot all = SnapshotEncoder.encode(clip.format(), clip.pictures());
        Snapshot firstTen = SnapshotEncoder.encode(clip.format(), clip.pictures().subList(0, 10));

        assertThat(colourAtCentre(all)).satisfies(c -> assertClose(c, Color.BLUE));
        assertThat(colourAtCentre(firstTen)).satisfies(c -> assertClose(c, Color.RED));
        assertThat(all.pts90k()).isEqualTo(clip.pictures().getLast().pts90k());
        assertThat(all.captureMicros()).isEqualTo(clip.pictures().getLast().captureMicros());
        assertThat(firstTen.captureMicros()).isEqualTo(clip.pictures().get(9).captureMicros());
    }

    @Test
    void aFullRangeStreamKeepsItsColours(@TempDir Path dir) throws Exception {
        ColourClip fullRange = ColourClip.make(dir, 320, 240, 1, 2, "yuvj420p");

        Snapshot red = SnapshotEncoder.encode(fullRange.format(), fullRange.pictures().subList(0, 1));
        Snapshot blue = SnapshotEncoder.encode(fullRange.format(), fullRange.pictures());

        assertThat(colourAtCentre(red)).satisfies(c -> assertClose(c, Color.RED));
        assertThat(colourAtCentre(blue)).satisfies(c -> assertClose(c, Color.BLUE));
    }

    @Test
    void theJpegHasThePicturesSize() throws Exception {
        Snapshot snapshot = SnapshotEncoder.encode(clip.format(), clip.pictures());

        BufferedImage image = decode(snapshot);
        assertThat(image.getWidth()).isEqualTo(320).isEqualTo(snapshot.width());
        assertThat(image.getHeight()).isEqualTo(240).isEqualTo(snapshot.height());
    }

    @Test
    void aKeyframeAloneIsEnough() throws Exception {
        Snapshot snapshot = SnapshotEncoder.encode(clip.format(), clip.pictures().subList(0, 1));

        assertThat(colourAtCentre(snapshot)).satisfies(c -> assertClose(c, Color.RED));
    }

    @Test
    void theProjectsOwnSampleVideoDecodesAndScalesDownKeepingItsAspect(@TempDir Path cache) throws Exception {
        SampleVideo sample = SampleVideo.load(cache, new SampleSpec(640, 360, 15, 15, 300_000, 1, 7));

        Snapshot full = SnapshotEncoder.encode(sample.format(), sample.pictures());
        Snapshot small = SnapshotEncoder.encode(sample.format(), sample.pictures(), 160);

        assertThat(decode(full).getWidth()).isEqualTo(640);
        assertThat(decode(full).getHeight()).isEqualTo(360);
        assertThat(decode(small).getWidth()).isEqualTo(160).isEqualTo(small.width());
        assertThat(decode(small).getHeight()).isEqualTo(90).isEqualTo(small.height());
        assertThat(small.jpeg().length).isLessThan(full.jpeg().length);
    }

    @Test
    void aPictureNarrowerThanMaxWidthKeepsItsSize() throws Exception {
        Snapshot snapshot = SnapshotEncoder.encode(clip.format(), clip.pictures(), 1920);

        assertThat(decode(snapshot).getWidth()).isEqualTo(320);
    }

    @Test
    void snapshotsMadeAtOnceOnVirtualThreadsEachShowTheirOwnLastPicture() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Snapshot>> snapshots = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int count = i % 2 == 0 ? 12 : 10; // blue, red, blue...
                snapshots.add(threads.submit(() -> SnapshotEncoder.encode(clip.format(),
                        clip.pictures().subList(0, count))));
            }
            for (int i = 0; i < snapshots.size(); i++) {
                Color expected = i % 2 == 0 ? Color.BLUE : Color.RED;
                assertThat(colourAtCentre(snapshots.get(i).get(30, TimeUnit.SECONDS)))
                        .satisfies(c -> assertClose(c, expected));
            }
        }
    }

    @Test
    void garbageInTheLastPictureIsAClearErrorNotAnOldPicture() {
        List<AccessUnit> pictures = new ArrayList<>(clip.pictures());
        AccessUnit last = pictures.getLast();
        byte[] garbage = last.avcc().clone();
        new Random(3).nextBytes(garbage);
        ByteBuffer.wrap(garbage).putInt(garbage.length - 4).put((byte) 0x41); // well framed, a P slice of noise
        pictures.set(pictures.size() - 1, new AccessUnit(last.pts90k(), last.captureMicros(), false, garbage));

        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), pictures))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("picture 11")
                .hasMessageContaining("damaged");
    }

    @Test
    void garbageInTheKeyframeIsAClearError() {
        List<AccessUnit> pictures = new ArrayList<>(clip.pictures());
        AccessUnit first = pictures.getFirst();
        byte[] garbage = first.avcc().clone();
        new Random(5).nextBytes(garbage);
        ByteBuffer.wrap(garbage).putInt(garbage.length - 4).put((byte) 0x65);
        pictures.set(0, new AccessUnit(first.pts90k(), first.captureMicros(), true, garbage));

        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), pictures))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("damaged");
    }

    @Test
    void aPictureCutShortIsAClearErrorNamingItAndTheOffset() {
        List<AccessUnit> pictures = new ArrayList<>(clip.pictures());
        AccessUnit last = pictures.getLast();
        byte[] cut = Arrays.copyOf(last.avcc(), last.avcc().length / 2);
        pictures.set(pictures.size() - 1, new AccessUnit(last.pts90k(), last.captureMicros(), false, cut));

        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), pictures))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("picture 11 is damaged: the NAL unit at offset 0 claims " + (last.avcc().length - 4)
                        + " bytes, but " + (cut.length - 4) + " follow");
    }

    @Test
    void aSliceCutShortButReframedIsDecodedWithErrorsAndRefused() {
        List<AccessUnit> pictures = new ArrayList<>(clip.pictures());
        AccessUnit key = pictures.getFirst();
        byte[] cut = Arrays.copyOf(key.avcc(), Math.max(12, key.avcc().length / 3));
        ByteBuffer.wrap(cut).putInt(cut.length - 4); // as if the network lost the rest and the framing was redone
        pictures.set(0, new AccessUnit(key.pts90k(), key.captureMicros(), true, cut));

        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), pictures.subList(0, 1)))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("picture 0");
    }

    @Test
    void randomlyDamagedPicturesGiveAJpegOrASnapshotExceptionNeverACrash() {
        Random random = new Random(11);
        int refused = 0;
        for (int round = 0; round < 200; round++) {
            List<AccessUnit> pictures = new ArrayList<>(clip.pictures());
            int index = random.nextInt(pictures.size());
            AccessUnit picture = pictures.get(index);
            byte[] damaged = picture.avcc().clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[4 + random.nextInt(damaged.length - 4)] ^= (byte) (1 << random.nextInt(8));
            }
            pictures.set(index, new AccessUnit(picture.pts90k(), picture.captureMicros(), picture.keyframe(), damaged));
            try {
                assertThat(decode(SnapshotEncoder.encode(clip.format(), pictures)).getWidth()).isEqualTo(320);
            } catch (SnapshotException e) {
                refused++;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(refused).as("damage the decoder noticed").isPositive();
    }

    @Test
    void damagedParameterSetsAreAClearError() {
        byte[] sps = new byte[12];
        new Random(7).nextBytes(sps);
        sps[0] = 0x67;
        StreamFormat damaged = new StreamFormat(sps, clip.format().pps(), 320, 240);

        assertThatThrownBy(() -> SnapshotEncoder.encode(damaged, clip.pictures()))
                .isInstanceOf(SnapshotException.class);
    }

    @Test
    void moreThan600PicturesAreRefusedBeforeAnyDecoding() {
        List<AccessUnit> pictures = new ArrayList<>(clip.pictures());
        pictures.addAll(Collections.nCopies(SnapshotEncoder.MAX_PICTURES, clip.pictures().get(1)));

        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), pictures))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("612 pictures")
                .hasMessageContaining("keyframe interval");
    }

    @Test
    void aRunThatDoesNotStartOnAKeyframeOrIsEmptyIsRefused() {
        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), clip.pictures().subList(1, 5)))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("not a keyframe");
        assertThatThrownBy(() -> SnapshotEncoder.encode(clip.format(), List.of()))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("no pictures");
    }

    private static BufferedImage decode(Snapshot snapshot) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(snapshot.jpeg()));
        assertThat(image).as("a JPEG ImageIO reads").isNotNull();
        return image;
    }

    private static Color colourAtCentre(Snapshot snapshot) throws IOException {
        BufferedImage image = decode(snapshot);
        return new Color(image.getRGB(image.getWidth() / 2, image.getHeight() / 2));
    }

    /** Within 12 of each channel: a range mistake (16-235 read as 0-255 or back) is off by 16 or more. */
    private static void assertClose(Color actual, Color expected) {
        assertThat(new int[] {actual.getRed(), actual.getGreen(), actual.getBlue()})
                .as("colour %s close to %s", actual, expected)
                .satisfies(rgb -> {
                    assertThat(Math.abs(rgb[0] - expected.getRed())).isLessThan(12);
                    assertThat(Math.abs(rgb[1] - expected.getGreen())).isLessThan(12);
                    assertThat(Math.abs(rgb[2] - expected.getBlue())).isLessThan(12);
                });
    }
}
