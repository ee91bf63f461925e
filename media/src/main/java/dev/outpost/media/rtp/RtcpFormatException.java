package dev.outpost.media.rtp;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * Bytes that are not a well-formed RTCP compound packet (RFC 3550 section 6.1); {@link #offset()} is where in the
 * datagram or interleaved frame the problem was found, and the message says which field. A
 * {@link CorruptedFrameException}, so a Netty pipeline treats it like any other broken frame.
 */
public final class RtcpFormatException extends CorruptedFrameException {
    private final int offset;

    public RtcpFormatException(String message, int offset) {
        super(message + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset from the start of the compound packet. */
    public int offset() {
        return offset;
    }
}
