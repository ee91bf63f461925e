package dev.outpost.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Benchmarks print their own figures: the cloud's and recorder's INFO lines (one per link) would drown them. */
final class BenchLog {
    private BenchLog() {
    }

    static void quiet() {
        String level = System.getenv().getOrDefault("OUTPOST_BENCH_LOG_LEVEL", "WARN");
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(level, Level.WARN));
    }

    static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }
}
