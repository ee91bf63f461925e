package dev.outpost.wire.link;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LinkHeartbeat}: pings after silence, death after longer silence, on a channel with a virtual clock. */
class LinkHeartbeatTest {
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<String> deaths = new ArrayList<>();
    private final List<Object> passedOn = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    private void install(Duration pingAfter) {
        channel.config().setAllocator(alloc);
        LinkHeartbeat.install(channel.pipeline(), null, pingAfter, deaths::add);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                passedOn.add(evt);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                passedOn.add(cause);
            }
        });
    }

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void aSilentCloudSidePingsEveryIntervalAndDeclaresTheLinkDeadAtSixtySeconds() {
        install(LinkHeartbeat.CLOUD_PING_AFTER);
        elapse(LinkHeartbeat.CLOUD_PING_AFTER);
        assertThat(pingsSent()).isEqualTo(1);
        elapse(LinkHeartbeat.CLOUD_PING_AFTER);
        assertThat(pingsSent()).isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();

        elapse(LinkProtocol.DEAD_AFTER.minus(LinkHeartbeat.CLOUD_PING_AFTER.multipliedBy(2)));

        assertThat(deaths).containsExactly("nothing heard for 60 s");
        assertThat(channel.isOpen()).isFalse();
        pingsSent();
    }

    @Test
    void anythingReadKeepsTheLinkAliveAndPostponesThePing() {
        install(LinkHeartbeat.RECORDER_PING_AFTER);
        for (int i = 0; i < 10; i++) {
            elapse(LinkHeartbeat.CLOUD_PING_AFTER); // the cloud's pings arrive before the recorder's own interval passes
            channel.writeInbound(alloc.of((byte) i));
            io.netty.util.ReferenceCountUtil.release(channel.readInbound());
        }
        assertThat(pingsSent()).as("the recorder never pings while it hears the cloud").isZero();
        assertThat(channel.isOpen()).isTrue();
        assertThat(deaths).isEmpty();
    }

    @Test
    void theRecorderPingsLaterThanTheCloudSoOnlyOneSidePingsOnAnIdleLink() {
        assertThat(LinkHeartbeat.RECORDER_PING_AFTER).isGreaterThan(LinkHeartbeat.CLOUD_PING_AFTER);
        assertThat(LinkHeartbeat.CLOUD_PING_AFTER).isLessThanOrEqualTo(Duration.ofSeconds(25));
        assertThat(LinkProtocol.DEAD_AFTER).isLessThanOrEqualTo(Duration.ofSeconds(60));
        install(LinkHeartbeat.RECORDER_PING_AFTER);
        assertThat(((IdleStateHandler) channel.pipeline().get("link-idle")).getReaderIdleTimeInMillis()).isEqualTo(LinkHeartbeat.RECORDER_PING_AFTER.toMillis());
        assertThat(((ReadTimeoutHandler) channel.pipeline().get("link-dead")).getReaderIdleTimeInMillis()).isEqualTo(60_000);
    }

    @Test
    void eachPingCarriesANewPayload() {
        install(LinkHeartbeat.CLOUD_PING_AFTER);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        Http2PingFrame first = channel.readOutbound();
        Http2PingFrame second = channel.readOutbound();
        assertThat(first.ack()).isFalse();
        assertThat(second.content()).isNotEqualTo(first.content());
    }

    @Test
    void otherEventsAndErrorsPassThrough() {
        install(LinkHeartbeat.CLOUD_PING_AFTER);
        Object custom = "some other event";
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        channel.pipeline().fireUserEventTriggered(custom);
        IllegalStateException other = new IllegalStateException("not a timeout");
        channel.pipeline().fireExceptionCaught(other);
        assertThat(passedOn).containsExactly(IdleStateEvent.WRITER_IDLE_STATE_EVENT, custom, other);
        assertThat(channel.isOpen()).isTrue();

        channel.pipeline().fireExceptionCaught(ReadTimeoutException.INSTANCE);
        assertThat(deaths).hasSize(1);
        assertThat(channel.isOpen()).isFalse();
    }

    private void elapse(Duration duration) {
        channel.advanceTimeBy(duration.toMillis(), TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }

    private int pingsSent() {
        int pings = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            assertThat(out).isInstanceOf(Http2PingFrame.class);
            io.netty.util.ReferenceCountUtil.release(out);
            pings++;
        }
        return pings;
    }
}
