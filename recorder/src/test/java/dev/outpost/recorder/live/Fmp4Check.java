package dev.outpost.recorder.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.mp4.Box;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * What a player needs from a live viewer's bytes, checked: an init segment first, a keyframe first, fragments numbered
 * 1, 2, 3..., decode times without a gap or an overlap, and a keyframe wherever pictures were skipped.
 *
 * @param pictures      the synthetic picture indexes received, in order
 * @param initSegments  how many init segments ({@code moov} boxes) the output holds
 * @param fragments     the fragments
 */
record Fmp4Check(List<Integer> pictures, int initSegments, List<Fragment> fragments) {
    static Fmp4Check of(byte[] fmp4) {
        List<Box> top = BoxReader.boxes(fmp4);
        assertThat(top).as("top-level boxes").hasSizeGreaterThanOrEqualTo(2);
        assertThat(top.get(0).type()).isEqualTo("ftyp");
        assertThat(top.get(1).type()).isEqualTo("moov");
        BoxReader.readInitSegment(fmp4);
        int inits = (int) top.stream().filter(b -> b.type().equals("moov")).count();
        List<Fragment> fragments = BoxReader.readFragments(fmp4);
        List<Integer> pictures = new ArrayList<>();
        long expectedSequence = 1;
        long expectedDecodeTime = 0;
        int previous = Integer.MIN_VALUE;
        for (Fragment f : fragments) {
            assertThat(f.sequenceNumber()).as("sequence number").isEqualTo(expectedSequence++);
            assertThat(f.baseMediaDecodeTime()).as("decode time of fragment %d", f.sequenceNumber())
                    .isEqualTo(expectedDecodeTime);
            assertThat(f.producerReferenceTime()).isPresent();
            expectedDecodeTime = f.endDecodeTime();
            for (Sample s : f.samples()) {
                int index = LiveTestVideo.indexOf(s);
                if (index != previous + 1) {
                    assertThat(s.sync()).as("picture %d after %d starts on a keyframe", index, previous).isTrue();
                }
                assertThat(s.duration()).isPositive();
                pictures.add(index);
                previous = index;
            }
        }
        return new Fmp4Check(pictures, inits, fragments);
    }

    /** How many times the pictures did not follow one another: skips, and gaps in the stream. */
    int jumps() {
        int jumps = 0;
        for (int i = 1; i < pictures.size(); i++) {
            if (pictures.get(i) != pictures.get(i - 1) + 1) {
                jumps++;
            }
        }
        return jumps;
    }
}
