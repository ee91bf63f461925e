package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Frame rate and bit rate over a sliding window. */
class RateWindowTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void measuresOverTheSamplesInTheWindow() {
        RateWindow window = new RateWindow();
        for (int i = 0; i <= 150; i++) { // 10 s at 15 fps, 10 000 bytes each
            window.add(i * SECOND / 15, 10_000);
        }
        RateWindow.Rates rates = window.rates(10 * SECOND);
        assertThat(rates.framesPerSecond()).isCloseTo(15, within(0.01));
        assertThat(rates.bitsPerSecond()).isCloseTo(1_200_000L, within(1_000L));
    }

    @Test
    void aStreamThatStoppedReadsZero() {
        RateWindow window = new RateWindow();
        window.add(0, 100);
        window.add(SECOND / 10, 100);
        assertThat(window.rates(SECOND).framesPerSecond()).isCloseTo(10, within(0.01));
        assertThat(window.rates(10 * SECOND)).isEqualTo(RateWindow.Rates.NONE);
    }
}
