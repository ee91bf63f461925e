package dev.outpost.cloud.stun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of a Debian STUN client, bounded in time, with what it printed (stdout and stderr together). */
record ToolRun(int exitCode, String output) {

    static ToolRun run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path executable = Path.of(command[0]);
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " not found: install the Debian packages of .ci/packages "
                    + "(apt-get install -y coturn stun-client)");
        }
        // Output to a file, so that however much the tool prints it never blocks on a full pipe.
        Path output = Files.createTempFile("outpost-stun-tool-", ".out");
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new ToolRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
