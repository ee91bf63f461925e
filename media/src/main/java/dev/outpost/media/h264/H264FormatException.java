package dev.outpost.media.h264;

/**
 * H.264 bytes that break the syntax of ITU-T H.264 or of their framing (Annex B, AVCC): the message
 * names the field and the byte or bit offset where the input went wrong.
 */
public final class H264FormatException extends RuntimeException {
    public H264FormatException(String message) {
        super(message);
    }
}
