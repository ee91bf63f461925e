package dev.outpost.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command puts a recorder's response body, and how much of it: {@code -o FILE} or standard output, and
 * {@code --max-bytes} (live streams never end). A picocli mixin of {@code outpost get} and {@code outpost connect}.
 */
final class BodyOutput {
    private static final int BUFFER = 64 * 1024;

    /** What a copy did: the bytes written, and the read failure that ended it early, if one did. */
    record Copied(long bytes, Optional<IOException> broken) {
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE, not standard output.")
    Optional<Path> output = Optional.empty();

    @Option(names = "--max-bytes", paramLabel = "N", description = "Stop after N bytes of body.")
    Optional<Long> maxBytes = Optional.empty();

    void validate() {
        if (maxBytes.isPresent() && maxBytes.get() <= 0) {
            throw ClientFailure.usage("--max-bytes must be positive, not " + maxBytes.get());
        }
    }

    boolean toFile() {
        return output.isPresent();
    }

    Optional<Path> file() {
        return output;
    }

    /**
     * Copies {@code in} to the file or to {@code stdout}, each piece flushed as it comes (a player downstream gets
     * it at once), until the body ends, {@code --max-bytes} is reached, or the reader of standard output leaves (a
     * pipe into {@code head}). {@code firstBytes} runs when the first piece arrives.
     *
     * @throws IOException when the file cannot be written
     */
    Copied copy(InputStream in, OutputStream stdout, Runnable firstBytes) throws IOException {
        long limit = maxBytes.orElse(Long.MAX_VALUE);
        long copied = 0;
        byte[] buffer = new byte[BUFFER];
        OutputStream out = output.isPresent() ? Files.newOutputStream(output.get()) : stdout;
        try {
            while (copied < limit) {
                int n;
                try {
                    n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
                } catch (IOException e) {
                    return new Copied(copied, Optional.of(e));
                }
                if (n < 0) {
                    break;
                }
                if (copied == 0) {
                    firstBytes.run();
                }
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } catch (IOException e) {
                    if (output.isEmpty()) {
                        return new Copied(copied, Optional.empty()); // our reader left: done
                    }
                    throw new IOException("cannot write " + output.get() + ": " + e.getMessage(), e);
                }
                copied += n;
            }
        } finally {
            if (output.isPresent()) {
                out.close();
            }
        }
        return new Copied(copied, Optional.empty());
    }
}
