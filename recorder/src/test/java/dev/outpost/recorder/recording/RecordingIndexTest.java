package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordingIndexTest {
    private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Segment segment(int from, int to) {
        return new Segment(Path.of(from + ".mp4"), t(from), t(to), 1000);
    }

    private final RecordingIndex index = new RecordingIndex("cam1", "hd");

    @Test
    void segmentsCloserThanTwoSecondsAreOneRangeAndHolesAreGapsWithTheirReason() {
        index.put(segment(0, 60));
        index.put(segment(61, 120)); // a second apart: jitter, not a gap
        index.interrupted(t(120), "camera offline: no route to host");
        index.put(segment(300, 360));

        assertThat(index.ranges(t(-10), t(400))).containsExactly(
                TimelineRange.gap(t(-10), t(0), RecordingIndex.NOT_RECORDED),
                TimelineRange.recorded(t(0), t(120)),
                TimelineRange.gap(t(120), t(300), "camera offline: no route to host"),
                TimelineRange.recorded(t(300), t(360)),
                TimelineRange.gap(t(360), t(400), RecordingIndex.NOT_RECORDED));
    }

    @Test
    void aWindowIsClippedAndAGapThatStartedBeforeItKeepsItsReason() {
        index.put(segment(0, 60));
        index.interrupted(t(60), "camera offline: timeout");
        index.put(segment(100, 160));

        assertThat(index.ranges(t(30), t(130))).containsExactly(
                TimelineRange.recorded(t(30), t(60)),
                TimelineRange.gap(t(60), t(100), "camera offline: timeout"),
                TimelineRange.recorded(t(100), t(130)));
        assertThat(index.ranges(t(70), t(90))).containsExactly(
                TimelineRange.gap(t(70), t(90), "camera offline: timeout"));
        assertThat(index.ranges(t(90), t(90))).isEmpty();
    }

    @Test
    void afterTheSegmentBeingWrittenTheTimelineSaysSo() {
        index.put(segment(0, 60));
        index.open(segment(60, 90));
        assertThat(index.ranges(t(0), t(91))).containsExactly(
                TimelineRange.recorded(t(0), t(90)),
                TimelineRange.gap(t(90), t(91), RecordingIndex.BEING_RECORDED));
        index.closed();
        assertThat(index.ranges(t(0), t(91)).getLast().reason()).isEqualTo(RecordingIndex.NOT_RECORDED);
    }

    @Test
    void segmentAtFindsTheSegmentThatHoldsAnInstant() {
        Segment a = segment(0, 60);
        Segment b = segment(60, 120);
        index.put(a);
        index.put(b);
        assertThat(index.segmentAt(t(0))).contains(a);
        assertThat(index.segmentAt(t(59))).contains(a);
        assertThat(index.segmentAt(t(60))).contains(b);
        assertThat(index.segmentAt(t(120))).isEmpty();
        assertThat(index.segmentAt(t(-1))).isEmpty();
    }

    @Test
    void bytesFollowPutsReplacementsAndRemovals() {
        Segment growing = segment(0, 10);
        index.put(growing);
        index.put(new Segment(growing.file(), growing.start(), t(20), 5000)); // the open segment grew
        index.put(segment(20, 30));
        assertThat(index.bytes()).isEqualTo(6000);
        assertThat(index.remove(index.oldest().orElseThrow())).isTrue();
        assertThat(index.bytes()).isEqualTo(1000);
        assertThat(index.size()).isEqualTo(1);
    }
}
