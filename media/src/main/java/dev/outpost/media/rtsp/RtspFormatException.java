package dev.outpost.media.rtsp;

import io.netty.handler.codec.CorruptedFrameException;

/** Bytes from a camera that are not RTSP as RFC 2326 has it; the message says what and where. */
public final class RtspFormatException extends CorruptedFrameException {
    public RtspFormatException(String message) {
        super(message);
    }
}
