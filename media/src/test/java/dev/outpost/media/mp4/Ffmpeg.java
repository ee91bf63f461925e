package dev.outpost.media.mp4;

import static org.assertj.core.api.Assertions.fail;

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

/** Runs Debian's ffmpeg and ffprobe for tests: a real encoder to make H.264 and a real decoder to judge MP4. */
final class Ffmpeg {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a finished run printed. */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        Run requireSuccess() {
            if (exitCode != 0 || !stderr.isBlank()) {
                fail("%s exited %d with errors:%n%s", String.join(" ", command), exitCode, stderr);
            }
            return this;
        }
    }

    private Ffmpeg() {
    }

    static Run ffmpeg(Path workDir, String... args) {
        return run(workDir, "ffmpeg", args);
    }

    static Run ffprobe(Path workDir, String... args) {
        return run(workDir, "ffprobe", args);
    }

    /** The executable on the PATH, or a failure that says which Debian package to install. */
    static Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
        return Arrays.stream(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseGet(() -> fail(name + " is not installed: these tests decode MP4 with a real decoder."
                        + " Install Debian's ffmpeg package (apt-get install ffmpeg); .ci/packages lists it."));
    }

    private static Run run(Path workDir, String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable(name).toString());
        command.add("-hide_banner");
        if (name.equals("ffmpeg")) {
            command.add("-nostdin");
        }
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, name, ".out");
            Path err = Files.createTempFile(workDir, name, ".err");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish in %s", String.join(" ", command), TIMEOUT);
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
