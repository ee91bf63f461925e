package dev.outpost.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code rtsp_camera.py} for an {@link RtspCamera}: launch, wait for its {@code READY <port>} line, kill.
 *
 * <p>The JVM holds the script's stdin open and never writes to it: the script exits when it reads end-of-file, so
 * a JVM that dies without closing the camera (SIGKILL, a crashed fork) takes the camera down with it.
 */
final class RtspCameraProcess {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    // The first GStreamer run in a fresh home scans every plugin into its registry, which takes seconds.
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final String PASSWORD_VARIABLE = "OUTPOST_CAMERA_PASSWORD";

    // Exit codes of rtsp_camera.py.
    private static final int EXIT_MISSING_PACKAGE = 2;
    private static final int EXIT_PORT_TAKEN = 3;

    private final Process process;
    private final int port;

    private RtspCameraProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Launches the script with these arguments and returns once it listens, or empty when it exited because another
     * process holds the port it was told to bind.
     */
    static Optional<RtspCameraProcess> start(Path script, Path log, List<String> arguments, Optional<String> password) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-I", script.toString()));
        command.addAll(arguments);
        var builder = new ProcessBuilder(command)
                .directory(script.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().remove(PASSWORD_VARIABLE);
        password.ifPresent(p -> builder.environment().put(PASSWORD_VARIABLE, p));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        try {
            return awaitReady(process, log).map(port -> new RtspCameraProcess(process, port));
        } catch (RuntimeException e) {
            kill(process);
            throw e;
        }
    }

    int port() {
        return port;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The script's stdin, which it watches for end-of-file; tests close it to play a JVM that died. */
    OutputStream stdin() {
        return process.getOutputStream();
    }

    /**
     * Kills the server at once, as a camera losing power would go: clients see their connections reset, not a
     * TEARDOWN. Returns once it and anything it started (GStreamer's plugin scanner) no longer run.
     */
    void kill() {
        kill(process);
    }

    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("camera pid " + process.pid() + " still runs " + STOP_TIMEOUT
                        + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for camera pid " + process.pid() + " to die", e);
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (children.stream().anyMatch(SquidProcess::running)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("children of camera pid " + process.pid() + " still run "
                        + STOP_TIMEOUT + " after SIGKILL: "
                        + children.stream().filter(SquidProcess::running).map(ProcessHandle::pid).toList());
            }
            pause();
        }
    }

    /** Polls the log for the script's READY or ERROR line; empty when the port it was given is taken. */
    private static Optional<Integer> awaitReady(Process process, Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            boolean exited = !process.isAlive();
            List<String> lines = readLines(log);
            for (String line : lines) {
                if (line.startsWith("READY ")) {
                    return Optional.of(Integer.parseInt(line.substring("READY ".length()).strip()));
                }
            }
            if (exited) {
                int status = process.exitValue();
                if (status == EXIT_PORT_TAKEN) {
                    return Optional.empty();
                }
                String error = lines.stream().filter(l -> l.startsWith("ERROR ")).findFirst()
                        .map(l -> l.substring("ERROR ".length()))
                        .orElse("exit status " + status);
                throw new IllegalStateException("the RTSP camera did not start: " + error
                        + (status == EXIT_MISSING_PACKAGE ? "" : "\ncamera output:\n  " + String.join("\n  ",
                        tail(lines))));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the RTSP camera did not report READY within " + START_TIMEOUT
                        + "; its output:\n  " + String.join("\n  ", tail(lines)));
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the RTSP camera", e);
        }
    }

    /** The lines written so far, without a last one still being written. */
    private static List<String> readLines(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e + ")");
        }
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }
}
