package dev.outpost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffmpeg and ffprobe for tests: a real encoder to make H.264 and a real decoder to judge what
 * Outpost writes. A missing tool fails the test with the package to install; it never skips.
 */
public final class Ffmpeg {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a finished run printed. */
    public record Run(List<String> command, int exitCode, String stdout, String stderr) {
        /** This run, if it exited 0 and printed nothing on stderr (ffmpeg's way of saying "no errors"). */
        public Run requireSuccess() {
            if (exitCode != 0 || !stderr.isBlank()) {
                throw new AssertionError(String.format("%s exited %d with errors:%n%s", String.join(" ", command),
                        exitCode, stderr));
            }
            return this;
        }
    }

    private Ffmpeg() {
    }

    public static Run ffmpeg(Path workDir, String... args) {
        return run(workDir, "ffmpeg", args);
    }

    public static Run ffprobe(Path workDir, String... args) {
        return run(workDir, "ffprobe", args);
    }

    /** The executable on the PATH, or a failure that says which Debian package to install. */
    public static Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
        return Arrays.stream(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not installed: these tests judge video with a real"
                        + " decoder. Install Debian's ffmpeg package (apt-get install ffmpeg); .ci/packages lists it."));
    }

    /** Runs {@code tool} ({@code ffmpeg} or {@code ffprobe}) in {@code workDir}, with no input, up to a minute. */
    public static Run run(Path workDir, String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable(tool).toString());
        command.add("-hide_banner");
        if (tool.equals("ffmpeg")) {
            command.add("-nostdin");
        }
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, tool, ".out");
            Path err = Files.createTempFile(workDir, tool, ".err");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT);
            }
            return new Run(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
