package dev.outpost.cloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.cloud.store.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final List<String> ALICE = List.of("email:alice@example.com", "address:192.0.2.1");

    private final TestClock clock = new TestClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, 100);

    @Test
    void fiveFailuresAreFreeThenTheWaitDoublesUpToFiveMinutes() {
        failTimes(5);

        assertThat(throttle.admit(ALICE)).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        failTimes(1);
        assertThat(throttle.admit(ALICE)).contains(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        failTimes(1);
        assertThat(throttle.admit(ALICE)).contains(Duration.ofSeconds(4));

        for (long expected : new long[] {4, 8, 16, 32, 64, 128, 256, 300, 300}) {
            assertThat(throttle.admit(ALICE)).contains(Duration.ofSeconds(expected));
            clock.advance(Duration.ofSeconds(expected));
            failTimes(1);
        }
        assertThat(throttle.admit(ALICE)).contains(Duration.ofMinutes(5));
    }

    @Test
    void refusedAttemptsDoNotLengthenTheWait() {
        failTimes(5);

        for (int i = 0; i < 10; i++) {
            assertThat(throttle.admit(ALICE)).contains(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofMillis(400));
        assertThat(throttle.admit(ALICE)).as("rounded up to a whole second").contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(600));
        assertThat(throttle.admit(ALICE)).isEmpty();
    }

    @Test
    void successForgetsTheFailures() {
        failTimes(4);
        assertThat(throttle.admit(ALICE)).isEmpty();
        throttle.succeeded(ALICE);

        failTimes(5);
        assertThat(throttle.admit(ALICE)).isPresent();
    }

    @Test
    void fifteenMinutesWithoutAttemptsForgetTheFailures() {
        failTimes(5);
        clock.advance(Duration.ofSeconds(1));
        failTimes(1);
        clock.advance(Duration.ofMinutes(15));

        assertThat(throttle.admit(ALICE)).isEmpty();
        assertThat(throttle.trackedKeys()).isEqualTo(2);
    }

    @Test
    void anyThrottledKeyHoldsBackTheAttempt() {
        failTimes(5);

        assertThat(throttle.admit(List.of("email:bob@example.com", "address:192.0.2.1")))
                .as("another email from the same address").contains(Duration.ofSeconds(1));
        assertThat(throttle.admit(List.of("email:alice@example.com", "address:198.51.100.7")))
                .as("the same email from another address").contains(Duration.ofSeconds(1));
        assertThat(throttle.admit(List.of("email:bob@example.com", "address:198.51.100.7"))).isEmpty();
    }

    @Test
    void remembersAtMostItsCapacityForgettingTheLongestIdleFirst() {
        LoginThrottle small = new LoginThrottle(clock, 3);
        for (int i = 0; i < 5; i++) {
            small.admit(List.of("email:old"));
        }
        assertThat(small.admit(List.of("email:old"))).isPresent();

        small.admit(List.of("email:1"));
        small.admit(List.of("email:2"));
        small.admit(List.of("email:3"));

        assertThat(small.trackedKeys()).isEqualTo(3);
        assertThat(small.admit(List.of("email:old"))).as("forgotten, so admitted").isEmpty();
    }

    @Test
    void aParallelBurstIsCountedInFull() throws Exception {
        int burst = 50;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<Duration>>> answers = IntStream.range(0, burst)
                    .mapToObj(i -> threads.submit(() -> {
                        start.await();
                        return throttle.admit(ALICE);
                    }))
                    .toList();
            start.countDown();
            long admitted = 0;
            for (Future<Optional<Duration>> answer : answers) {
                admitted += answer.get().isEmpty() ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(LoginThrottle.FREE_FAILURES);
        }
    }

    private void failTimes(int failures) {
        for (int i = 0; i < failures; i++) {
            assertThat(throttle.admit(ALICE)).as("attempt %d admitted", i + 1).isEmpty();
        }
    }
}
