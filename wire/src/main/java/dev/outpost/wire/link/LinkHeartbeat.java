package dev.outpost.wire.link;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a link alive and notices when it is dead, on either end. A side that has read nothing for its
 * ping interval sends an HTTP/2 PING (the peer must ACK it, which counts as traffic); a side that has
 * read nothing for {@link LinkProtocol#DEAD_AFTER} closes the link. The cloud pings after
 * {@link #CLOUD_PING_AFTER}, the recorder only after {@link #RECORDER_PING_AFTER}: the cloud's pings
 * always reach the recorder first, so an idle link costs one PING and one ACK per cloud interval.
 */
public final class LinkHeartbeat extends ChannelDuplexHandler {
    public static final Duration CLOUD_PING_AFTER = LinkProtocol.HEARTBEAT;
    /** Later than the cloud, so the recorder pings only when the cloud has gone quiet. */
    public static final Duration RECORDER_PING_AFTER = Duration.ofSeconds(28);

    private final Consumer<String> onDead;
    private long pingCounter;

    /** @param onDead told why the link was declared dead, just before it is closed */
    public LinkHeartbeat(Consumer<String> onDead) {
        this.onDead = onDead;
    }

    /**
     * Adds the heartbeat's three handlers before {@code before} (or last when it is null): a read
     * timeout for death, an idle timer for pings, and this handler.
     */
    public static void install(ChannelPipeline pipeline, String before, Duration pingAfter, Consumer<String> onDead) {
        var dead = new ReadTimeoutHandler(LinkProtocol.DEAD_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        var idle = new IdleStateHandler(pingAfter.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        var heartbeat = new LinkHeartbeat(onDead);
        if (before == null) {
            pipeline.addLast("link-dead", dead).addLast("link-idle", idle).addLast("link-heartbeat", heartbeat);
        } else {
            pipeline.addBefore(before, "link-dead", dead).addBefore(before, "link-idle", idle)
                    .addBefore(before, "link-heartbeat", heartbeat);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // Sent from the end of the pipeline so it passes through the HTTP/2 frame codec.
            ctx.channel().writeAndFlush(new DefaultHttp2PingFrame(++pingCounter));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            onDead.accept("nothing heard for " + LinkProtocol.DEAD_AFTER.toSeconds() + " s");
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
