package dev.outpost.recorder.outbox;

import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.OutboxKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * How one outbox item lies on disk: {@code "OPOB"}, a big-endian u32 length, that many bytes of JSON
 * ({@link Header}), then the payload. Written whole to a temporary file, forced to disk, renamed over the
 * item's name and the directory forced, so a crash leaves the old item, the new one, or none, never half
 * of one.
 */
final class OutboxFiles {
    static final String SUFFIX = ".item";
    private static final byte[] MAGIC = "OPOB".getBytes(StandardCharsets.US_ASCII);
    /** Headers are a key, a kind, a time and a small JSON body. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    /** What an item file says before its payload. */
    record Header(long seq, String key, String kind, Instant createdAt, String body, String payloadType) {
        OutboxKind outboxKind() {
            return OutboxKind.fromLabel(kind);
        }
    }

    private OutboxFiles() {
    }

    static Path fileOf(Path dir, long seq) {
        return dir.resolve(String.format("%016d", seq) + SUFFIX);
    }

    /** Writes {@code header} and {@code payload} as {@code file}, durably and atomically. */
    static long write(Path file, Header header, byte[] payload) throws IOException {
        return write(file, header, payload.length, out -> {
            ByteBuffer body = ByteBuffer.wrap(payload);
            while (body.hasRemaining()) {
                out.write(body);
            }
        });
    }

    /** Writes {@code header} and the content of {@code payload} as {@code file}, durably and atomically, copying. */
    static long write(Path file, Header header, Path payload) throws IOException {
        long length = Files.size(payload);
        return write(file, header, length, out -> {
            try (FileChannel in = FileChannel.open(payload, StandardOpenOption.READ)) {
                long at = 0;
                while (at < length) {
                    long n = in.transferTo(at, length - at, out);
                    if (n <= 0 && in.size() < length) {
                        throw new IOException(payload + " shrank while it was copied into the outbox");
                    }
                    at += n;
                }
            }
        });
    }

    /** Writes a payload after the header. */
    @FunctionalInterface
    private interface PayloadWriter {
        void write(FileChannel out) throws IOException;
    }

    private static long write(Path file, Header header, long payloadLength, PayloadWriter payload) throws IOException {
        byte[] json = Json.write(header);
        if (json.length > MAX_HEADER_BYTES) {
            throw new IOException("outbox item header is " + json.length + " bytes, more than " + MAX_HEADER_BYTES);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + json.length);
        head.put(MAGIC).putInt(json.length).put(json).flip();
        // Owner-only: a config backup waiting here holds camera credentials, as cameras.json does.
        java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        java.nio.file.attribute.FileAttribute<?>[] ownerOnly = tmp.getFileSystem().supportedFileAttributeViews()
                .contains("posix") ? new java.nio.file.attribute.FileAttribute<?>[] {
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
        try (FileChannel out = FileChannel.open(tmp, options, ownerOnly)) {
            while (head.hasRemaining()) {
                out.write(head);
            }
            payload.write(out);
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp); // nothing half-written stays behind
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
        return MAGIC.length + 4L + json.length + payloadLength;
    }

    /** The header of an item file, and where its payload starts. */
    record Read(Header header, long payloadOffset, long payloadBytes) {
    }

    static Read readHeader(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer start = ByteBuffer.allocate(8);
            readFully(in, start, 0, file);
            start.flip();
            byte[] magic = new byte[4];
            start.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not an outbox item (bad magic at byte 0)");
            }
            int length = start.getInt();
            if (length <= 0 || length > MAX_HEADER_BYTES || 8L + length > size) {
                throw new IOException(file + ": header length " + length + " at byte 4 is out of bounds (file is "
                        + size + " bytes)");
            }
            ByteBuffer json = ByteBuffer.allocate(length);
            readFully(in, json, 8, file);
            Header header;
            try {
                header = Json.read(json.array(), Header.class);
                header.outboxKind();
            } catch (RuntimeException e) {
                throw new IOException(file + ": unreadable header at byte 8: " + e.getMessage(), e);
            }
            return new Read(header, 8L + length, size - 8L - length);
        }
    }

    static byte[] readPayload(Path file, Read read) throws IOException {
        if (read.payloadBytes() > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": payload too large to read at once");
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer payload = ByteBuffer.allocate((int) read.payloadBytes());
            readFully(in, payload, read.payloadOffset(), file);
            return payload.array();
        }
    }

    /** {@code length} bytes of {@code file} from {@code position}. */
    static byte[] readPart(Path file, long position, int length) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer part = ByteBuffer.allocate(length);
            readFully(in, part, position, file);
            return part.array();
        }
    }

    private static void readFully(FileChannel in, ByteBuffer into, long position, Path file) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = in.read(into, at);
            if (n < 0) {
                throw new IOException(file + " ends early at byte " + at);
            }
            at += n;
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
