package dev.outpost.cloud.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down password guessing. Each key (an email, a remote address) may fail {@value #FREE_FAILURES}
 * times in a row; after that it must wait before its next attempt, 1 s after the fifth failure and
 * twice as long after each further one, up to {@link #LONGEST_WAIT}. A success, or {@link #WINDOW}
 * without an attempt, forgets the key.
 *
 * <p>An attempt counts as failed from the moment it is admitted until {@link #succeeded} says
 * otherwise, so a burst of parallel guesses is counted in full rather than all slipping through the
 * same open moment. At most {@code maxKeys} keys are remembered; when full, the key idle longest is
 * forgotten first.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    private final Clock clock;
    private final int maxKeys;
    /** Ordered by last attempt, oldest first: the order in which keys expire and are evicted. */
    private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>();

    private record Failures(int count, Instant lastAttempt) {
        Instant nextAllowed() {
            if (count < FREE_FAILURES) {
                return lastAttempt;
            }
            int doublings = Math.min(count - FREE_FAILURES, 20);
            Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
            return lastAttempt.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
        }
    }

    LoginThrottle(Clock clock, int maxKeys) {
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /**
     * Admits an attempt for all the keys and counts it as a failure of each, or, if any key must
     * still wait, admits nothing and says how long the longest wait is (whole seconds, at least one).
     */
    synchronized Optional<Duration> admit(List<String> keys) {
        Instant now = clock.instant();
        forgetExpired(now);
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Failures known = failures.get(key);
            if (known != null && known.nextAllowed().isAfter(now)) {
                Duration left = Duration.between(now, known.nextAllowed());
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        if (!wait.isZero()) {
            return Optional.of(roundUpToSeconds(wait));
        }
        for (String key : keys) {
            Failures known = failures.remove(key);
            failures.put(key, new Failures(known == null ? 1 : known.count() + 1, now));
        }
        while (failures.size() > maxKeys) {
            Iterator<String> oldest = failures.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return Optional.empty();
    }

    /** The admitted attempt succeeded: the keys start afresh. */
    synchronized void succeeded(List<String> keys) {
        keys.forEach(failures::remove);
    }

    synchronized int trackedKeys() {
        return failures.size();
    }

    private void forgetExpired(Instant now) {
        Iterator<Map.Entry<String, Failures>> oldestFirst = failures.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Failures entry = oldestFirst.next().getValue();
            if (entry.lastAttempt().plus(WINDOW).isAfter(now)) {
                return;
            }
            oldestFirst.remove();
        }
    }

    private static Duration roundUpToSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
