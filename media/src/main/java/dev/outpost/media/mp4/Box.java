package dev.outpost.media.mp4;

import java.util.List;
import java.util.Optional;

/**
 * One ISO BMFF box as {@link BoxReader} found it (ISO/IEC 14496-12 section 4.2): where it sits, how big it is, and,
 * for the container boxes this package reads ({@code moov}, {@code trak}, {@code moof}, ...), the boxes inside it.
 *
 * @param type       the four-character type, for example {@code moof}
 * @param offset     where the box starts, counted from the first byte handed to the reader
 * @param size       the whole box, header included
 * @param headerSize 8, or 16 with a 64-bit {@code largesize}, plus 16 for a {@code uuid} extended type
 * @param children   the boxes inside a container box; empty for every other box
 */
public record Box(String type, long offset, long size, int headerSize, List<Box> children) {
    public Box {
        children = List.copyOf(children);
    }

    /** Where the box's payload starts. */
    public long contentOffset() {
        return offset + headerSize;
    }

    /** The first byte after the box. */
    public long end() {
        return offset + size;
    }

    public long contentSize() {
        return size - headerSize;
    }

    /** The first child of that type. */
    public Optional<Box> child(String childType) {
        return children.stream().filter(b -> b.type.equals(childType)).findFirst();
    }

    public List<Box> children(String childType) {
        return children.stream().filter(b -> b.type.equals(childType)).toList();
    }

    /** The first child of that type, or a {@link Mp4FormatException} that says it is missing. */
    Box require(String childType) {
        return child(childType).orElseThrow(() -> new Mp4FormatException(offset,
                "'" + type + "' box has no '" + childType + "' box"));
    }
}
