package dev.outpost.recorder.live;

import static dev.outpost.recorder.live.LiveTestVideo.FORMAT;
import static dev.outpost.recorder.live.LiveTestVideo.OTHER_FORMAT;
import static dev.outpost.recorder.live.LiveTestVideo.picture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class GopCacheTest {
    private final GopCache cache = new GopCache(new GopCache.Limits(10, 10_000));

    @Test
    void holdsTheLatestKeyframeAndThePicturesSince() {
        cache.format(FORMAT);
        for (int i = 0; i < 25; i++) {
            cache.add(picture(i, 10, 1000, 100));
        }
        GopCache.Snapshot snapshot = cache.snapshot();
        assertThat(snapshot.format()).containsSame(FORMAT);
        assertThat(indexes(snapshot.pictures())).containsExactly(20, 21, 22, 23, 24);
        assertThat(snapshot.pictures().getFirst().keyframe()).isTrue();
        assertThat(snapshot.complete()).isTrue();
    }

    @Test
    void aStreamJoinedMidGopHasNothingToStartFromUntilItsKeyframe() {
        cache.format(FORMAT);
        for (int i = 5; i < 10; i++) {
            cache.add(picture(i, 10));
        }
        assertThat(cache.snapshot().pictures()).isEmpty();
        cache.add(picture(10, 10));
        assertThat(indexes(cache.snapshot().pictures())).containsExactly(10);
    }

    @Test
    void aGopOverThePictureBoundKeepsItsPrefixAndSaysItIsIncomplete() {
        cache.format(FORMAT);
        for (int i = 0; i < 15; i++) {
            cache.add(picture(i, 100, 1000, 100));
        }
        GopCache.Snapshot snapshot = cache.snapshot();
        assertThat(indexes(snapshot.pictures())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(snapshot.complete()).isFalse();

        cache.add(picture(100, 100));
        assertThat(indexes(cache.snapshot().pictures())).containsExactly(100);
        assertThat(cache.snapshot().complete()).isTrue();
    }

    @Test
    void aGopOverTheByteBoundStopsAtTheFirstPictureThatDoesNotFit() {
        cache.format(FORMAT);
        cache.add(picture(0, 100, 6000, 1500));
        cache.add(picture(1, 100, 6000, 1500));
        cache.add(picture(2, 100, 6000, 1500));
        cache.add(picture(3, 100, 6000, 1500)); // 10,500 bytes: over
        cache.add(picture(4, 100, 6000, 100)); // would fit, but after a gap it would not decode
        assertThat(indexes(cache.snapshot().pictures())).containsExactly(0, 1, 2);
        assertThat(cache.byteCount()).isEqualTo(9000);
        assertThat(cache.snapshot().complete()).isFalse();
    }

    @Test
    void aNewFormatDropsThePicturesButTheSameFormatAgainDoesNot() {
        cache.format(FORMAT);
        cache.add(picture(0, 10));
        cache.add(picture(1, 10));
        StreamFormat again = new StreamFormat(FORMAT.sps().clone(), FORMAT.pps().clone(), 704, 576);
        assertThat(cache.format(again)).isFalse();
        assertThat(cache.pictureCount()).isEqualTo(2);

        assertThat(cache.format(OTHER_FORMAT)).isTrue();
        assertThat(cache.snapshot().pictures()).isEmpty();
        assertThat(cache.snapshot().format()).containsSame(OTHER_FORMAT);
    }

    @Test
    void anInterruptionDropsThePicturesAndKeepsTheFormat() {
        cache.format(FORMAT);
        cache.add(picture(0, 10));
        cache.clearPictures();
        assertThat(cache.snapshot().pictures()).isEmpty();
        assertThat(cache.byteCount()).isZero();
        assertThat(cache.snapshot().format()).containsSame(FORMAT);
        cache.add(picture(1, 10));
        assertThat(cache.snapshot().pictures()).isEmpty();
    }

    static List<Integer> indexes(List<AccessUnit> units) {
        return units.stream().map(u -> java.nio.ByteBuffer.wrap(u.avcc(), 5, 4).getInt()).toList();
    }
}
