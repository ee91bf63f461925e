package dev.outpost.media.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes {@link RtspRequest}s as RTSP/1.0 (RFC 2326 section 6); the request carries its own CSeq. */
public final class RtspClientEncoder extends MessageToByteEncoder<RtspRequest> {
    @Override
    protected void encode(ChannelHandlerContext ctx, RtspRequest request, ByteBuf out) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.uri()).append(" RTSP/1.0\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.writeCharSequence(head, StandardCharsets.ISO_8859_1);
    }
}
