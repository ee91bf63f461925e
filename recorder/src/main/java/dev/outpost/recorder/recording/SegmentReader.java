package dev.outpost.recorder.recording;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.InitSegment;
import dev.outpost.media.mp4.Mp4FormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Reads a segment file's pictures back, one fragment at a time, for playback and snapshots. It reads the file as it
 * is now and goes on from where it stopped on the next call, so a segment still being written yields its newer
 * fragments as they land; a fragment cut short (being written, or torn by a crash) ends the reading for now.
 * Blocking file I/O: never on an event loop. Not thread-safe.
 */
public final class SegmentReader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final InitSegment init;
    private long position;

    private SegmentReader(Path file, FileChannel channel, InitSegment init, long position) {
        this.file = file;
        this.channel = channel;
        this.init = init;
        this.position = position;
    }

    /**
     * @throws Mp4FormatException when the file does not start with an init segment
     * @throws IOException        when it cannot be read
     */
    public static SegmentReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Header ftyp = header(channel, 0).filter(h -> h.type.equals("ftyp"))
                    .orElseThrow(() -> new Mp4FormatException(0, file + " does not start with 'ftyp'"));
            Header moov = header(channel, ftyp.end()).filter(h -> h.type.equals("moov"))
                    .orElseThrow(() -> new Mp4FormatException(ftyp.end(), file + " has no 'moov' after 'ftyp'"));
            if (moov.end() > SegmentScanner.MAX_HEADER_BOX) {
                throw new Mp4FormatException(0, "init segment of " + moov.end() + " bytes is too big");
            }
            InitSegment init = BoxReader.readInitSegment(SegmentScanner.read(channel, 0, moov.end()));
            return new SegmentReader(file, channel, init, moov.end());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public InitSegment init() {
        return init;
    }

    public Path file() {
        return file;
    }

    /**
     * The pictures of the next complete fragment, with their capture times; empty when the file holds no further
     * complete fragment (yet).
     *
     * @throws Mp4FormatException when a complete fragment does not parse
     */
    public Optional<List<AccessUnit>> nextFragment() throws IOException {
        long at = position;
        ByteArrayOutputStream fragment = new ByteArrayOutputStream();
        while (true) {
            Optional<Header> next = header(channel, at);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Header box = next.get();
            if (box.end() - position > SegmentScanner.MAX_FRAGMENT) {
                throw new Mp4FormatException(position, "fragment of more than " + SegmentScanner.MAX_FRAGMENT
                        + " bytes in " + file);
            }
            switch (box.type) {
                case "prft", "moof" -> fragment.writeBytes(SegmentScanner.read(channel, box.offset, box.end()));
                case "mdat" -> {
                    fragment.writeBytes(SegmentScanner.read(channel, box.offset, box.end()));
                    position = box.end();
                    Fragment parsed = BoxReader.readFragment(fragment.toByteArray());
                    return Optional.of(parsed.accessUnits(init.timescale()));
                }
                default -> {
                    // A box the recorder does not write between fragments: skipped.
                    position = box.end();
                    fragment.reset();
                }
            }
            at = box.end();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private record Header(String type, long offset, long size) {
        long end() {
            return offset + size;
        }
    }

    /** The complete box at {@code at}; empty when the file ends before the box does. */
    private static Optional<Header> header(FileChannel ch, long at) throws IOException {
        long length = ch.size();
        if (length - at < 8) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(16, length - at));
        SegmentScanner.readFully(ch, buf, at);
        long size = buf.getInt(0) & 0xFFFF_FFFFL;
        String type = new String(buf.array(), 4, 4, StandardCharsets.ISO_8859_1);
        int headerSize = 8;
        if (size == 1) {
            if (buf.limit() < 16) {
                return Optional.empty();
            }
            size = buf.getLong(8);
            headerSize = 16;
        }
        if (size == 0 || size < headerSize) {
            throw new Mp4FormatException(at, "box '" + type + "' has size " + size + ", which the recorder never writes");
        }
        if (size > length - at) {
            return Optional.empty(); // still being written, or torn
        }
        return Optional.of(new Header(type, at, size));
    }
}
