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
        if (in.readableBytes() < 4) {
            int available = in.readableBytes();
            for (int i = 0; i < available; i++) {
                if (in.getByte(in.readerIndex() + i) != (byte) (MAGIC >>> (24 - 8 * i))) {
                    throw new CorruptedFrameException("not an Outpost link handshake: bad magic at byte " + i);
                }
            }
            return null;
        }
        int magic = in.getInt(in.readerIndex());
        if (magic != MAGIC) {
            throw new CorruptedFrameException(String.format("not an Outpost link handshake: magic 0x%08x", magic));
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
        try {
            return Json.read(payload, type);
        } catch (RuntimeException e) {
            throw new CorruptedFrameException("link handshake payload is not a valid " + type.getSimpleName(), e);
        }
    }
}
