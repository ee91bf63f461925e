package dev.outpost.recorder.health;

import dev.outpost.recorder.recording.RecordingSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Tells whether the recordings' disk still takes writes: writes a small file in the recordings directory, forces it
 * to the device (fsync), reads it back and deletes it. A read-only file system (the kernel remounts one read-only
 * after I/O errors), a failed write or fsync (EIO, or "no space left" on a disk that is mostly free) or a read that
 * does not give back what was written is a failing disk. A full disk is not: "disk nearly full" reports that, and retention frees space. Nor is a permission problem:
 * the disk is fine, and the recordings' own "recording stopped" alert names the directory to fix.
 */
final class DiskProbe {
    static final String FILE_NAME = ".outpost-disk-probe";
    private static final int SIZE = 4096;

    private final Path dir;
    private long round;

    DiskProbe(Path dir) {
        this.dir = dir;
    }

    /** @return what failed, in words, or empty when the disk took the write */
    Optional<String> problem() {
        Path file = dir.resolve(FILE_NAME);
        byte[] written = new byte[SIZE];
        Arrays.fill(written, (byte) round++);
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(written);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            byte[] read = Files.readAllBytes(file);
            Files.delete(file);
            if (!Arrays.equals(read, written)) {
                return Optional.of("cannot write " + dir + ": what was written reads back different");
            }
            return Optional.empty();
        } catch (IOException e) {
            deleteQuietly(file);
            if (e instanceof AccessDeniedException) {
                return Optional.empty();
            }
            if (RecordingSink.isDiskFull(e)) {
                return mostlyFree().map(free -> "cannot write " + dir + ": " + reason(e) + " although " + free
                        + " MiB are free");
            }
            return Optional.of("cannot write " + dir + ": " + reason(e));
        }
    }

    /**
     * A disk that says it is full while more than a tenth of it is free is failing (a thin or network volume out of
     * backing space, a loop or virtual disk whose image cannot grow): the free MiB then; else empty, a full disk.
     */
    private Optional<Long> mostlyFree() {
        try {
            FileStore store = Files.getFileStore(dir);
            long usable = store.getUsableSpace();
            return usable > store.getTotalSpace() / 10 ? Optional.of(usable >> 20) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A disk that cannot write cannot delete either; the next probe truncates the file.
        }
    }
}
