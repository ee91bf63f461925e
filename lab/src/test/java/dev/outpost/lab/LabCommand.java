package dev.outpost.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One short command the lab runs to build or tear down its network ({@code ip}, {@code iptables}, {@code tc}). */
final class LabCommand {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** What a finished command printed. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private LabCommand() {
    }

    /** Runs {@code command} and returns its output; a non-zero exit fails with the command and its stderr. */
    static String run(List<String> command) {
        Result result = attempt(command);
        if (!result.succeeded()) {
            throw new IllegalStateException("network lab: `" + String.join(" ", command) + "` exited "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        return result.stdout();
    }

    static String run(String... command) {
        return run(List.of(command));
    }

    /** Runs {@code command} up to {@link #TIMEOUT}, whatever its exit code. */
    static Result attempt(List<String> command) {
        try {
            Path out = Files.createTempFile("outpost-lab-", ".out");
            Path err = Files.createTempFile("outpost-lab-", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("network lab: `" + String.join(" ", command)
                            + "` did not finish in " + TIMEOUT);
                }
                return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("network lab: cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("network lab: interrupted while running " + command, e);
        }
    }

    /** True when {@code name} is an executable on the PATH (or in /usr/sbin, where Debian keeps ip and iptables). */
    static boolean installed(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
