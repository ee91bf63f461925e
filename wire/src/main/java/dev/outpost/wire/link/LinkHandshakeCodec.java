package dev.outpost.wire.link;

import dev.outpost.wire.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Frames of the link handshake: {@code "OPL1"} magic, a 16-bit big-endian length, then that many bytes
 * of JSON ({@link LinkHello} from the recorder, {@link LinkWelcome} from the cloud). Nothing else is
 * framed this way: after the handshake the bytes are HTTP/2.
 */
public final class LinkHandshakeCodec {
    static final int MAGIC = 0x4F504C31; // "OPL1"
    static final int HEADER_BYTES = 6;
    /** Handshake messages are small; a larger length means garbage or an attack. */
    public static final int MAX_PAYLOAD = 8192;

    private LinkHandshakeCodec() {
    }

    public static ByteBuf encode(ByteBufAllocator alloc, Object message) {
        byte[] json = Json.write(message);
        if (json.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("handshake message of " + json.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        ByteBuf out = alloc.buffer(HEADER_BYTES + json.length);
        out.writeInt(MAGIC).writeShort(json.length).writeBytes(json);
        return out;
    }

    /**
     * Takes one frame off {@code in} if it is complete, leaving the reader index after it.
     *
     * @return the JSON payload, or null when more bytes are needed
     * @throws CorruptedFrameException when the bytes are not a handshake frame
     * @throws TooLongFrameException   when the declared length is over {@link #MAX_PAYLOAD}
     */
    public static byte[] takeFrame(ByteBuf in) {
        int magicBytes = Math.min(4, in.readableBytes());
        for (int i = 0; i < magicBytes; i++) {
            byte seen = in.getByte(in.readerIndex() + i);
            if (seen != (byte) (MAGIC >>> (24 - 8 * i))) {
                throw new CorruptedFrameException(String.format(
                        "not an Outpost link handshake: bad magic at byte %d (0x%02x)", i, seen & 0xFF));
            }
        }
        if (in.readableBytes() < HEADER_BYTES) {
            return null;
        }
        int length = in.getUnsignedShort(in.readerIndex() + 4);
        if (length > MAX_PAYLOAD) {
            throw new TooLongFrameException("link handshake frame of " + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        if (in.readableBytes() < HEADER_BYTES + length) {
            return null;
        }
        in.skipBytes(HEADER_BYTES);
        byte[] payload = new byte[length];
        in.readBytes(payload);
        return payload;
    }

    public static <T> T decode(byte[] payload, Class<T> type) {
        T value;
        try {
            value = Json.read(payload, type);
        } catch (RuntimeException e) {
            throw new CorruptedFrameException("link handshake payload is not a valid " + type.getSimpleName(), e);
        }
        if (value == null) {
            throw new CorruptedFrameException("link handshake payload is JSON null, not a " + type.getSimpleName());
        }
        return value;
    }
}
