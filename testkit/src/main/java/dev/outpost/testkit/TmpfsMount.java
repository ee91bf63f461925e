package dev.outpost.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs mounted on a directory for one test, as a disk of its own that the test can turn read-only and back
 * ({@code mount -o remount,ro}: the kernel refuses while a file on it is open for writing). Needs root
 * (CAP_SYS_ADMIN): {@link #possible()} says whether this process may mount. {@link #close()} unmounts, lazily if
 * something still holds it, so no mount outlives the test.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Whether this process may mount (it runs as root). */
    public static boolean possible() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Mounts a tmpfs of {@code megabytes} MiB on {@code dir}, made if missing. */
    public static TmpfsMount on(Path dir, int megabytes) throws IOException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "outpost-test", dir.toString());
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Every write on it fails with EROFS from now on ("Read-only file system"). */
    public void readOnly() throws IOException {
        run("mount", "-o", "remount,ro", dir.toString());
    }

    public void writable() throws IOException {
        run("mount", "-o", "remount,rw", dir.toString());
    }

    @Override
    public void close() {
        try {
            run("umount", dir.toString());
        } catch (IOException busy) {
            try {
                run("umount", "-l", dir.toString());
            } catch (IOException e) {
                throw new IllegalStateException("cannot unmount the test's tmpfs on " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.strip());
        }
    }
}
