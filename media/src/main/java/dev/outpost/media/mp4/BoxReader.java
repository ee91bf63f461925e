package dev.outpost.media.mp4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads fragmented MP4 as {@link Fmp4Writer} writes it, from bytes that may come off a network or a disk that lost
 * power: the box tree (ISO/IEC 14496-12 section 4.2), an init segment's H.264 track, and fragments' samples. Every
 * size and count is checked against the bytes present before anything is allocated; anything else fails with a
 * {@link Mp4FormatException} that names the box and its offset.
 *
 * <p>It reads one video track: the first {@code vide} track of an init segment, the one {@code traf} of a fragment.
 * Defaults a {@code trex} would give are taken as zero, since Outpost's fragments carry every field in {@code trun}.
 */
public final class BoxReader {
    /** Real files nest boxes 8 deep ({@code moov/trak/mdia/minf/stbl/stsd/avc1/avcC}); deeper is an attack. */
    public static final int MAX_DEPTH = 16;
    /** More samples than this in one fragment is not video Outpost writes (a minute at 240 frames a second is less). */
    public static final int MAX_SAMPLES = 100_000;

    /** Boxes made only of boxes, whose children {@link #boxes} lists. */
    static final Set<String> CONTAINERS = Set.of("moov", "trak", "edts", "mdia", "minf", "dinf", "stbl", "mvex",
            "moof", "traf", "mfra");

    /** Size of a VisualSampleEntry's fields before its child boxes (section 12.1.3). */
    private static final int VISUAL_SAMPLE_ENTRY_FIELDS = 78;

    private BoxReader() {
    }

    /** The top-level boxes of {@code data}, with the children of container boxes. */
    public static List<Box> boxes(byte[] data) {
        return boxes(data, 0, data.length, 0);
    }

    /**
     * The video track of an init segment, or of a whole file that starts with one (boxes after {@code moov} are not
     * read, so a file whose last fragment was cut short still gives its format).
     */
    public static InitSegment readInitSegment(byte[] data) {
        int pos = 0;
        while (pos < data.length) {
            Box box = box(data, pos, data.length, 0);
            if (box.type().equals("moov")) {
                return readMovie(data, box);
            }
            pos = (int) box.end();
        }
        throw new Mp4FormatException(0, "no 'moov' box: not an init segment");
    }

    /** The one fragment in {@code data}: an optional {@code prft}, then {@code moof} and {@code mdat}. */
    public static Fragment readFragment(byte[] data) {
        List<Fragment> fragments = readFragments(data);
        if (fragments.size() != 1) {
            throw new Mp4FormatException(0, fragments.size() + " fragments where one was expected");
        }
        return fragments.getFirst();
    }

    /**
     * Every fragment in {@code data} in order, with the {@code prft} that precedes each; other top-level boxes
     * ({@code ftyp}, {@code moov}, {@code styp}, {@code free}) are skipped, so this reads a whole recording.
     */
    public static List<Fragment> readFragments(byte[] data) {
        List<Box> top = boxes(data);
        FragmentParser parser = new FragmentParser(data, top);
        List<Fragment> fragments = new ArrayList<>();
        Optional<ProducerReferenceTime> prft = Optional.empty();
        for (Box box : top) {
            switch (box.type()) {
                case "prft" -> prft = Optional.of(FragmentParser.readPrft(data, box));
                case "moof" -> {
                    fragments.add(parser.read(box, prft));
                    prft = Optional.empty();
                }
                default -> {
                }
            }
        }
        return fragments;
    }

    private static List<Box> boxes(byte[] data, int from, int to, int depth) {
        List<Box> boxes = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            Box box = box(data, pos, to, depth);
            boxes.add(box);
            pos = (int) box.end();
        }
        return boxes;
    }

    /** The box at {@code pos}, which must end by {@code to}; size 0 ("to the end") only at the top level. */
    private static Box box(byte[] data, int pos, int to, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Mp4FormatException(pos, "boxes nested deeper than " + MAX_DEPTH);
        }
        int left = to - pos;
        if (left < 8) {
            throw new Mp4FormatException(pos, left + " bytes left, too few for a box header (8)");
        }
        long size = int32(data, pos) & 0xFFFF_FFFFL;
        String type = fourcc(data, pos + 4);
        int header = 8;
        if (size == 1) {
            if (left < 16) {
                throw new Mp4FormatException(pos, describe(type) + " box has a 64-bit size but only " + left
                        + " bytes are left");
            }
            size = (long) int32(data, pos + 8) << 32 | int32(data, pos + 12) & 0xFFFF_FFFFL;
            header = 16;
            if (size < 0) {
                throw new Mp4FormatException(pos, describe(type) + " box has a 64-bit size past 2^63");
            }
        } else if (size == 0) {
            if (depth != 0) {
                throw new Mp4FormatException(pos, describe(type) + " box has size 0 (to the end of the file),"
                        + " which only a top-level box may have");
            }
            size = left;
        }
        if (type.equals("uuid")) {
            header += 16;
        }
        if (size < header) {
            throw new Mp4FormatException(pos, describe(type) + " box has size " + size + ", less than its "
                    + header + "-byte header");
        }
        if (size > left) {
            throw new Mp4FormatException(pos, describe(type) + " box of " + size + " bytes runs past the end of "
                    + (depth == 0 ? "the data" : "its parent") + " (" + left + " bytes left)");
        }
        List<Box> children = CONTAINERS.contains(type)
                ? boxes(data, pos + header, pos + (int) size, depth + 1)
                : List.of();
        return new Box(type, pos, size, header, children);
    }

    private static InitSegment readMovie(byte[] data, Box moov) {
        for (Box trak : moov.children("trak")) {
            Box mdia = trak.require("mdia");
            ByteCursor hdlr = fullBox(data, mdia.require("hdlr"));
            hdlr.skip(4); // pre_defined
            if (!hdlr.fourcc().equals("vide")) {
                continue;
            }
            int timescale = mediaTimescale(data, mdia.require("mdhd"));
            Box stsd = mdia.require("minf").require("stbl").require("stsd");
            ByteCursor entries = fullBox(data, stsd);
            if (entries.u32() == 0) {
                throw entries.error(stsd.offset(), "has no sample entry");
            }
            Box entry = box(data, entries.position(), (int) stsd.end(), 6);
            if (!entry.type().equals("avc1") && !entry.type().equals("avc3")) {
                throw new Mp4FormatException(entry.offset(), "sample entry " + describe(entry.type())
                        + " is not H.264 (avc1 or avc3)");
            }
            ByteCursor fields = new ByteCursor(data, entry);
            fields.skip(24); // reserved, data_reference_index, pre_defined and reserved
            int width = fields.u16();
            int height = fields.u16();
            fields.skip(VISUAL_SAMPLE_ENTRY_FIELDS - 28);
            Box avcC = boxes(data, fields.position(), (int) entry.end(), 7).stream()
                    .filter(b -> b.type().equals("avcC")).findFirst()
                    .orElseThrow(() -> new Mp4FormatException(entry.offset(), "'" + entry.type()
                            + "' sample entry has no 'avcC' box"));
            return new InitSegment(AvcDecoderConfiguration.read(new ByteCursor(data, avcC), width, height),
                    timescale);
        }
        throw new Mp4FormatException(moov.offset(), "'moov' box has no video track");
    }

    private static int mediaTimescale(byte[] data, Box mdhd) {
        ByteCursor in = new ByteCursor(data, mdhd);
        int version = in.u8();
        in.skip(3);
        in.skip(version == 1 ? 16 : 8); // creation and modification times
        int at = in.position();
        int timescale = in.u31("timescale");
        if (timescale == 0) {
            throw in.error(at, "timescale is 0");
        }
        return timescale;
    }

    /** A cursor after a FullBox's version and flags. */
    static ByteCursor fullBox(byte[] data, Box box) {
        ByteCursor in = new ByteCursor(data, box);
        in.skip(4);
        return in;
    }

    static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    /** A box type as its four bytes, one char each, so any byte value survives. */
    static String fourcc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    /** A box type for a message: quoted when printable ASCII, hex otherwise. */
    static String describe(String type) {
        if (type.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return "'" + type + "'";
        }
        StringBuilder hex = new StringBuilder("0x");
        type.chars().forEach(c -> hex.append(String.format("%02x", c)));
        return hex.toString();
    }
}
