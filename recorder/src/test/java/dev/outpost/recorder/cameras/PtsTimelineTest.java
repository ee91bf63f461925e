package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Presentation times stay on one growing timeline across sessions that each start anywhere. */
class PtsTimelineTest {
    @Test
    void theFirstSessionStartsAtZeroAndKeepsItsSpacing() {
        PtsTimeline timeline = new PtsTimeline();
        timeline.newSession();
        assertThat(timeline.map(4_000_000_000L, 1_000_000)).isZero();
        assertThat(timeline.map(4_000_006_000L, 1_066_666)).isEqualTo(6000);
        assertThat(timeline.map(4_000_012_000L, 1_133_333)).isEqualTo(12_000);
    }

    @Test
    void aNewSessionContinuesAfterTheWallClockGap() {
        PtsTimeline timeline = new PtsTimeline();
        timeline.newSession();
        timeline.map(100, 0);
        timeline.map(6100, 66_667);
        timeline.newSession();
        // 3 s later by the wall clock, with a timestamp far below the last one.
        assertThat(timeline.map(5, 3_066_667)).isEqualTo(6000 + 270_000);
        assertThat(timeline.map(6005, 3_133_333)).isEqualTo(6000 + 276_000);
    }

    @Test
    void aNewSessionAtOnceStillMovesOnePictureOn() {
        PtsTimeline timeline = new PtsTimeline();
        timeline.newSession();
        timeline.map(0, 1_000_000);
        timeline.map(3000, 1_033_333);
        timeline.newSession();
        assertThat(timeline.map(999_999, 1_000_000)).isEqualTo(6000); // a clock step back: one interval
    }
}
