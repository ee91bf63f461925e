package dev.outpost.wire.link;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a link alive and notices when it is dead, on either end. Placed after an
 * {@link IdleStateHandler} made by {@link #idleStateHandler()}: every {@link #PING_AFTER_SECONDS} s
 * of silence it sends an HTTP/2 PING (the peer must ACK it, which counts as traffic), and after
 * {@link #DEAD_AFTER_SECONDS} s of silence it closes the link. Only the side that hears nothing pings,
 * so an idle link costs one PING and one ACK per interval.
 */
public final class LinkHeartbeat extends ChannelDuplexHandler {
    public static final int PING_AFTER_SECONDS = 20;
    public static final int DEAD_AFTER_SECONDS = 60;

    private final Consumer<String> onDead;
    private int silentIntervals;
    private long pingCounter;

    /** @param onDead told why the link was declared dead, just before it is closed */
    public LinkHeartbeat(Consumer<String> onDead) {
        this.onDead = onDead;
    }

    public static IdleStateHandler idleStateHandler() {
        return new IdleStateHandler(PING_AFTER_SECONDS, 0, 0, TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        silentIntervals = 0;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            silentIntervals++;
            if (silentIntervals * PING_AFTER_SECONDS >= DEAD_AFTER_SECONDS) {
                onDead.accept("nothing heard for " + DEAD_AFTER_SECONDS + " s");
                ctx.close();
            } else {
                // Sent from the end of the pipeline so it passes through the HTTP/2 frame codec.
                ctx.channel().writeAndFlush(new DefaultHttp2PingFrame(++pingCounter));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
