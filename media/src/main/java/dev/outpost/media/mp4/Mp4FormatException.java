package dev.outpost.media.mp4;

/**
 * Bytes that are not the fragmented MP4 {@link BoxReader} reads: a box too small for its header, one that runs past
 * its parent or the end of the data, nesting deeper than any real file, a field out of range. The message names the
 * box and the byte offset; {@link #offset()} gives the offset alone, so a recording whose last fragment was cut
 * short by a crash can be truncated there.
 */
public final class Mp4FormatException extends RuntimeException {
    private final long offset;

    public Mp4FormatException(long offset, String message) {
        super("offset " + offset + ": " + message);
        this.offset = offset;
    }

    /** Where the offending box or field starts, counted from the first byte handed to the reader. */
    public long offset() {
        return offset;
    }
}
