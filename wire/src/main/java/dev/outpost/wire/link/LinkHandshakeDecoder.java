package dev.outpost.wire.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes exactly one handshake message of the given type, then stops decoding; the handler that
 * receives it replaces this decoder with the HTTP/2 codec, and any bytes that came after the handshake
 * are passed on to that codec when this decoder is removed.
 */
public final class LinkHandshakeDecoder<T> extends ByteToMessageDecoder {
    private final Class<T> type;
    private boolean done;

    public LinkHandshakeDecoder(Class<T> type) {
        this.type = type;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            return; // bytes after the handshake wait for the next handler
        }
        try {
            byte[] payload = LinkHandshakeCodec.takeFrame(in);
            if (payload != null) {
                done = true;
                out.add(LinkHandshakeCodec.decode(payload, type));
            }
        } catch (RuntimeException malformed) {
            // Reported once: the bad bytes are dropped, so closing does not decode them again.
            done = true;
            in.skipBytes(in.readableBytes());
            throw malformed;
        }
    }
}
