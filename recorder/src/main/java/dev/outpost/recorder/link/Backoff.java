package dev.outpost.recorder.link;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnection delays: exponential with full jitter, so a thousand recorders that lost the same
 * cloud do not all come back in the same second. After the n-th consecutive failure the wait is
 * uniform in [0, min(max, base * 2^(n-1))].
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration max, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    public Duration ceiling(int failures) {
        int exponent = Math.max(0, Math.min(failures - 1, 20));
        long ceiling = Math.min(max.toMillis(), base.toMillis() << exponent);
        return Duration.ofMillis(ceiling);
    }

    public Duration delay(int failures) {
        long ceiling = ceiling(failures).toMillis();
        return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
