package dev.outpost.wire.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LinkHeartbeat} on a channel, with the idle events an {@link IdleStateHandler} would fire, fired by hand. */
class LinkHeartbeatTest {
    /** Silent intervals after which the link is dead: 60 s / 20 s = 3. */
    private static final int DEAD_AFTER_INTERVALS =
            (LinkHeartbeat.DEAD_AFTER_SECONDS + LinkHeartbeat.PING_AFTER_SECONDS - 1) / LinkHeartbeat.PING_AFTER_SECONDS;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<String> deaths = new ArrayList<>();
    private final List<Object> eventsPassedOn = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new LinkHeartbeat(deaths::add),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    eventsPassedOn.add(evt);
                }
            });

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void oneSilentIntervalSendsAPing() {
        readerIdle(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        Object sent = channel.readOutbound();
        assertThat(sent).isInstanceOf(Http2PingFrame.class);
        assertThat(((Http2PingFrame) sent).ack()).isFalse();
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(deaths).isEmpty();
        assertThat(eventsPassedOn).as("the heartbeat consumes reader-idle events").isEmpty();
    }

    @Test
    void eachPingCarriesANewPayload() {
        readerIdle(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.writeInbound(alloc.of((byte) 1));
        releaseInbound();
        readerIdle(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        Http2PingFrame first = channel.readOutbound();
        Http2PingFrame second = channel.readOutbound();
        assertThat(second.content()).isNotEqualTo(first.content());
    }

    @Test
    void silenceUntilDeadAfterCallsOnDeadAndClosesTheLink() {
        assertThat(DEAD_AFTER_INTERVALS).isEqualTo(3);
        readerIdle(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        for (int i = 2; i < DEAD_AFTER_INTERVALS; i++) {
            readerIdle(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
        assertThat(channel.isOpen()).isTrue();
        assertThat(deaths).isEmpty();
        assertThat(pingsSent()).isEqualTo(DEAD_AFTER_INTERVALS - 1);

        readerIdle(IdleStateEvent.READER_IDLE_STATE_EVENT);

        assertThat(deaths).containsExactly("nothing heard for " + LinkHeartbeat.DEAD_AFTER_SECONDS + " s");
        assertThat(channel.isOpen()).isFalse();
        assertThat(pingsSent()).as("no ping on the interval that declares the link dead").isZero();
    }

    @Test
    void anythingReadStartsTheCountAgain() {
        for (int round = 0; round < 5; round++) {
            for (int i = 1; i < DEAD_AFTER_INTERVALS; i++) {
                readerIdle(i == 1 ? IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT : IdleStateEvent.READER_IDLE_STATE_EVENT);
            }
            channel.writeInbound(alloc.of((byte) round)); // for example the PING ACK
            assertThat(releaseInbound()).as("reads pass through").isEqualTo(1);
        }
        assertThat(channel.isOpen()).isTrue();
        assertThat(deaths).isEmpty();
        assertThat(pingsSent()).isEqualTo(5 * (DEAD_AFTER_INTERVALS - 1));

        for (int i = 0; i < DEAD_AFTER_INTERVALS; i++) {
            readerIdle(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
        assertThat(deaths).hasSize(1);
        assertThat(channel.isOpen()).isFalse();
        pingsSent();
    }

    @Test
    void otherEventsPassThroughAndDoNotCount() {
        Object custom = "some other event";
        List<Object> others = List.of(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT, IdleStateEvent.WRITER_IDLE_STATE_EVENT,
                IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT, IdleStateEvent.ALL_IDLE_STATE_EVENT, custom);
        for (int i = 0; i < 10; i++) {
            others.forEach(e -> channel.pipeline().fireUserEventTriggered(e));
        }
        assertThat(eventsPassedOn).hasSize(10 * others.size()).containsAll(others);
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(deaths).isEmpty();
    }

    @Test
    void theIdleHandlerWatchesReadsEveryPingInterval() {
        IdleStateHandler idle = LinkHeartbeat.idleStateHandler();
        assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(LinkHeartbeat.PING_AFTER_SECONDS * 1000L);
        assertThat(idle.getWriterIdleTimeInMillis()).isZero();
        assertThat(idle.getAllIdleTimeInMillis()).isZero();
    }

    private void readerIdle(IdleStateEvent event) {
        channel.pipeline().fireUserEventTriggered(event);
        channel.runPendingTasks();
    }

    private int pingsSent() {
        int pings = 0;
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            assertThat(msg).isInstanceOf(Http2PingFrame.class);
            pings++;
        }
        return pings;
    }

    private int releaseInbound() {
        int n = 0;
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ((ByteBuf) msg).release();
            n++;
        }
        return n;
    }
}
