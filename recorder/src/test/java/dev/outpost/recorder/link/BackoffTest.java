package dev.outpost.recorder.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reconnection delays: exponential ceilings, full jitter below them. */
class BackoffTest {
    private static final int DRAWS = 20_000;

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(2026));

    @Test
    void ceilingsDoubleFromTheBaseUpToTheMaximum() {
        List<Duration> ceilings = IntStream.rangeClosed(1, 7).mapToObj(backoff::ceiling).toList();
        assertThat(ceilings).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void theCeilingStaysAtTheMaximumHoweverManyFailures() {
        for (int failures : new int[] {8, 20, 21, 22, 63, 64, 65, 1_000, Integer.MAX_VALUE}) {
            assertThat(backoff.ceiling(failures)).as("after %d failures", failures).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void noFailuresYetMeansTheBase() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(-5)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void subSecondBasesDoubleToo() {
        Backoff fast = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), new SplittableRandom(1));
        assertThat(IntStream.rangeClosed(1, 8).mapToObj(fast::ceiling).map(Duration::toMillis).toList())
                .containsExactly(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L);
    }

    @Test
    void delaysStayWithinZeroAndTheCeilingAndAverageHalfOfIt() {
        for (int failures = 1; failures <= 7; failures++) {
            long ceiling = backoff.ceiling(failures).toMillis();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            double sum = 0;
            for (int i = 0; i < DRAWS; i++) {
                long delay = backoff.delay(failures).toMillis();
                assertThat(delay).as("failure %d", failures).isBetween(0L, ceiling);
                min = Math.min(min, delay);
                max = Math.max(max, delay);
                sum += delay;
            }
            double mean = sum / DRAWS;
            // Uniform on [0, c]: standard deviation c/sqrt(12), so the mean of 20,000 draws is within 1% of c/2.
            assertThat(mean).as("mean after %d failures", failures).isCloseTo(ceiling / 2.0, within(ceiling * 0.02));
            assertThat(min).as("full jitter reaches near zero").isLessThanOrEqualTo(ceiling / 100);
            assertThat(max).as("and near the ceiling").isGreaterThanOrEqualTo(ceiling - ceiling / 100);
        }
    }

    @Test
    void delaysAreSpreadOutNotClustered() {
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            distinct.add(backoff.delay(6).toMillis());
        }
        assertThat(distinct).as("1,000 recorders retrying after the same outage").hasSizeGreaterThan(900);
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(5));
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(5));
        for (int failures = 1; failures < 50; failures++) {
            assertThat(a.delay(failures)).isEqualTo(b.delay(failures));
        }
    }

    @Test
    void aZeroBaseNeverWaits() {
        Backoff none = new Backoff(Duration.ZERO, Duration.ofSeconds(30), new SplittableRandom(3));
        for (int failures = 1; failures < 30; failures++) {
            assertThat(none.delay(failures)).isEqualTo(Duration.ZERO);
        }
    }
}
