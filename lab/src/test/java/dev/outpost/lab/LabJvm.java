package dev.outpost.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code outpost} executable ({@code dev.outpost.cli.Main}) running in a JVM of its own inside a lab host's
 * network namespace ({@code ip netns exec}, which execs java in place, so the {@link Process} is the JVM), on this
 * JVM's class path. Its standard output and error go to a log file that the test reads.
 */
final class LabJvm implements AutoCloseable {
    private static final String MAIN = "dev.outpost.cli.Main";
    /** Small and quick to start: the lab runs several of these on a couple of cores. */
    private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED", "-Djdk.http.auth.tunneling.disabledSchemes=");

    /** What a finished command printed. */
    record Finished(List<String> command, int exitCode, String stdout, String stderr) {
        Finished requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("`outpost " + String.join(" ", command) + "` exited " + exitCode + ":\n"
                        + stderr + stdout);
            }
            return this;
        }
    }

    private final String label;
    private final Process process;
    private final Path log;

    private LabJvm(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code outpost ARGS} on {@code host}, output to {@code log}. */
    static LabJvm start(LabHost host, String label, Path log, Map<String, String> env, List<String> args) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command(host, MAIN, args))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            return new LabJvm(label + " on " + host, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start outpost " + args + " on " + host, e);
        }
    }

    /** Runs {@code outpost ARGS} on {@code host} to its end (at most {@code timeout}). */
    static Finished run(LabHost host, Path dir, Map<String, String> env, Duration timeout, List<String> args) {
        return run(host, dir, env, timeout, MAIN, args);
    }

    /** Runs the class {@code main} of this class path with {@code args} on {@code host}, to its end. */
    static Finished run(LabHost host, Path dir, Map<String, String> env, Duration timeout, String main,
                        List<String> args) {
        try {
            Files.createDirectories(dir);
            Path out = Files.createTempFile(dir, "cli-", ".out");
            Path err = Files.createTempFile(dir, "cli-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command(host, main, args))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("`outpost " + String.join(" ", args) + "` on " + host
                        + " did not finish in " + timeout + "; it printed:\n" + Files.readString(err)
                        + Files.readString(out));
            }
            return new Finished(args, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run outpost " + args + " on " + host, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running outpost " + args, e);
        }
    }

    private static List<String> command(LabHost host, String main, List<String> args) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(OPTIONS);
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(main);
        java.addAll(args);
        return host.netns().command(java);
    }

    /** Waits until a line of its output matches {@code pattern}; fails at once, with its output, if it exits. */
    Matcher await(Pattern pattern, Duration timeout) {
        AtomicReference<Matcher> found = new AtomicReference<>();
        org.awaitility.Awaitility.await(label + " to print " + pattern).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            Optional<Matcher> match = output().lines().map(pattern::matcher).filter(Matcher::find).findFirst();
            if (match.isPresent()) {
                found.set(match.get());
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(label + " exited " + process.exitValue() + " before printing " + pattern
                        + ":\n" + tail());
            }
            return false;
        });
        return found.get();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The last lines of its output, for failure messages. */
    String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops it as an operator would (SIGTERM, so its shutdown hook runs), then kills it if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + process.pid() + ")";
    }
}
