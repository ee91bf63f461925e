package dev.outpost.client;

import dev.outpost.wire.api.ConnectView.PathView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Happy eyeballs over a recorder's paths (RFC 8305 section 5, applied to paths rather than addresses): the best
 * path is tried first, the next one {@link #STAGGER} later or as soon as an earlier one fails, and the first to
 * answer wins; the others are abandoned. So a good LAN path wins in milliseconds, and a dead Direct Connect costs
 * the relay only the stagger, not the dead path's timeout.
 */
final class PathRace {
    /** RFC 8305 section 8: a Connection Attempt Delay of 250 ms. */
    static final Duration STAGGER = Duration.ofMillis(250);

    /** Tries one path: returns what it opened, or throws why it cannot be used. */
    @FunctionalInterface
    interface Attempt<T> {
        T open(PathView path) throws Exception;
    }

    /** One path's outcome, for the caller to report. */
    record Outcome(PathView path, String result) {
    }

    /** The winner, and what became of every path tried. */
    record Result<T>(PathView path, T opened, Duration elapsed, List<Outcome> outcomes) {
    }

    private PathRace() {
    }

    /**
     * Races {@code paths} in order; each attempt must bound its own time. The losers' attempts are interrupted and
     * what they opened is given to {@code discard}.
     *
     * @throws PathsFailedException when every path failed, with each one's reason
     */
    static <T> Result<T> run(List<PathView> paths, Attempt<T> attempt, Consumer<T> discard)
            throws InterruptedException {
        if (paths.isEmpty()) {
            throw new PathsFailedException("no path to try", List.of());
        }
        long start = System.nanoTime();
        LinkedBlockingQueue<Done<T>> done = new LinkedBlockingQueue<>();
        AtomicBoolean decided = new AtomicBoolean();
        List<Outcome> outcomes = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        // Not closed with try-with-resources: close() would wait for the losers' attempts to time out.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            int started = 0;
            int failed = 0;
            running.add(startAttempt(executor, paths, started++, attempt, done, decided, discard));
            while (true) {
                Done<T> next = started < paths.size()
                        ? done.poll(STAGGER.toMillis(), TimeUnit.MILLISECONDS) : done.take();
                if (next == null) { // the stagger passed with no answer: start the next path alongside
                    running.add(startAttempt(executor, paths, started++, attempt, done, decided, discard));
                    continue;
                }
                PathView path = paths.get(next.index());
                if (next.failure() == null) {
                    outcomes.add(new Outcome(path, "answered"));
                    for (int i = 0; i < started; i++) {
                        int index = i;
                        if (i != next.index() && outcomes.stream().noneMatch(o -> o.path() == paths.get(index))) {
                            outcomes.add(new Outcome(paths.get(i), "no answer yet: abandoned"));
                        }
                    }
                    return new Result<>(path, next.opened(), Duration.ofNanos(System.nanoTime() - start),
                            List.copyOf(outcomes));
                }
                outcomes.add(new Outcome(path, describe(next.failure())));
                if (++failed == paths.size()) {
                    throw new PathsFailedException("no path to the recorder answered", outcomes);
                }
                if (started < paths.size()) { // a failure starts the next path at once
                    running.add(startAttempt(executor, paths, started++, attempt, done, decided, discard));
                }
            }
        } finally {
            synchronized (done) {
                decided.set(true);
            }
            running.forEach(f -> f.cancel(true));
            executor.shutdown();
            Done<T> late;
            while ((late = done.poll()) != null) {
                if (late.opened() != null && late.index() >= 0) {
                    discard.accept(late.opened());
                }
            }
        }
    }

    private record Done<T>(int index, T opened, Exception failure) {
    }

    private static <T> Future<?> startAttempt(ExecutorService executor, List<PathView> paths, int index,
                                              Attempt<T> attempt, LinkedBlockingQueue<Done<T>> done,
                                              AtomicBoolean decided, Consumer<T> discard) {
        PathView path = paths.get(index);
        return executor.submit(() -> {
            try {
                T opened = attempt.open(path);
                synchronized (done) {
                    if (!decided.get()) {
                        done.add(new Done<>(index, opened, null));
                        return;
                    }
                }
                discard.accept(opened); // the race is over: a late winner is closed
            } catch (Exception e) {
                done.add(new Done<>(index, null, e));
            }
        });
    }

    static String describe(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Every path failed. */
    static final class PathsFailedException extends RuntimeException {
        private final List<Outcome> outcomes;

        PathsFailedException(String message, List<Outcome> outcomes) {
            super(message + (outcomes.isEmpty() ? "" : ": " + outcomes.stream()
                    .map(o -> o.path().kind() + " " + o.path().url() + " (" + o.result() + ")").toList()));
            this.outcomes = List.copyOf(outcomes);
        }

        List<Outcome> outcomes() {
            return outcomes;
        }
    }

}
