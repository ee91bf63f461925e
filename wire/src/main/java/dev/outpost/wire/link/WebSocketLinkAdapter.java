package dev.outpost.wire.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Makes a WebSocket look like a plain byte stream to the link above it: binary frames in, their
 * payload out; bytes written become binary frames. So the link's handshake and HTTP/2 run unchanged
 * inside a WebSocket when a middlebox refuses the link's ALPN name.
 */
public final class WebSocketLinkAdapter extends ChannelDuplexHandler {
    /** The largest WebSocket frame either end accepts: an HTTP/2 frame plus TLS-sized slack. */
    public static final int MAX_FRAME_BYTES = 1 << 20;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            // A middlebox may split a message into fragments (RFC 6455 section 5.4): the bytes are what count.
            ctx.fireChannelRead(frame.content());
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
        } else if (frame instanceof CloseWebSocketFrame) {
            frame.release();
            ctx.close();
        } else if (frame instanceof PongWebSocketFrame) {
            frame.release();
        } else {
            ReferenceCountUtil.release(frame);
            ctx.fireExceptionCaught(new CorruptedFrameException("link WebSocket carries binary frames only, got "
                    + frame.getClass().getSimpleName()));
            ctx.close();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            ctx.write(new BinaryWebSocketFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
