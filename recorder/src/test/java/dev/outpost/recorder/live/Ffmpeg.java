package dev.outpost.recorder.live;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's ffmpeg and ffprobe for tests: a real encoder makes H.264, a real decoder judges a viewer's fMP4. */
final class Ffmpeg {
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

    static Run run(Path workDir, String tool, String... args) {
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
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish in 60 s", String.join(" ", command));
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

    /** The tool on the PATH, or a failure that says which package to install. */
    static Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin";
        return Arrays.stream(path.split(":")).filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst()
                .orElseGet(() -> fail(name + " is not installed: this test decodes a live viewer's fMP4 with a real"
                        + " decoder. Install it: apt-get install ffmpeg"));
    }
}
