package dev.outpost.wire.link;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link WebSocketLinkAdapter} between WebSocket frames (below) and the link's byte stream (above). */
class WebSocketLinkAdapterTest {
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocketLinkAdapter());

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void binaryFramesInBecomeTheirBytes() {
        channel.writeInbound(new BinaryWebSocketFrame(bytes("OPL1")));
        channel.writeInbound(new BinaryWebSocketFrame(bytes("rest of the handshake")));

        assertThat(readInboundText()).isEqualTo("OPL1");
        assertThat(readInboundText()).isEqualTo("rest of the handshake");
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void anEmptyBinaryFrameIsAnEmptyRead() {
        channel.writeInbound(new BinaryWebSocketFrame(alloc.heapBuffer(0)));
        assertThat(readInboundText()).isEmpty();
    }

    @Test
    void aBinaryMessageFragmentedByAMiddleboxStillArrivesAsItsBytes() {
        // RFC 6455 section 5.4: an intermediary may split a message into a first frame and continuations.
        Throwable thrown = catchThrowable(() -> {
            channel.writeInbound(new BinaryWebSocketFrame(false, 0, bytes("PRI * HT")));
            channel.writeInbound(new ContinuationWebSocketFrame(false, 0, bytes("TP/2.0\r\n")));
            channel.writeInbound(new ContinuationWebSocketFrame(true, 0, bytes("\r\nSM\r\n\r\n")));
        });
        StringBuilder read = new StringBuilder();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            read.append(text((ByteBuf) msg));
        }
        assertThat(thrown).as("continuation frames refused").isNull();
        assertThat(read.toString()).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void bytesWrittenBecomeBinaryFrames() {
        channel.writeOutbound(bytes("HTTP/2 frame"));

        BinaryWebSocketFrame frame = channel.readOutbound();
        try {
            assertThat(frame.isFinalFragment()).isTrue();
            assertThat(text(frame.content().retain())).isEqualTo("HTTP/2 frame");
        } finally {
            frame.release();
        }
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void framesAndOtherMessagesWrittenPassUnchanged() {
        CloseWebSocketFrame close = new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "bye");
        channel.writeOutbound(close);
        Object out = channel.readOutbound();
        assertThat(out).isSameAs(close);
        close.release();
    }

    @Test
    void aPingIsAnsweredWithAPongOfTheSamePayload() {
        channel.writeInbound(new PingWebSocketFrame(bytes("are you there")));

        assertThat(channel.<Object>readInbound()).as("pings do not reach the link").isNull();
        PongWebSocketFrame pong = channel.readOutbound();
        try {
            assertThat(text(pong.content().retain())).isEqualTo("are you there");
        } finally {
            pong.release();
        }
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aPongIsDropped() {
        channel.writeInbound(new PongWebSocketFrame(bytes("unsolicited")));
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aCloseFrameClosesTheLink() {
        CloseWebSocketFrame close = new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "going away");
        channel.writeInbound(close);
        assertThat(close.refCnt()).isZero();
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aTextFrameIsRefusedAndClosesTheLink() {
        Throwable thrown = catchThrowable(() -> channel.writeInbound(new TextWebSocketFrame(bytes("{\"hello\":1}"))));

        assertThat(thrown).isInstanceOf(CorruptedFrameException.class).hasMessageContaining("binary frames only")
                .hasMessageContaining("TextWebSocketFrame");
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void otherMessagesPassThrough() {
        ByteBuf raw = bytes("not a frame");
        channel.writeInbound(raw);
        assertThat(channel.<Object>readInbound()).isSameAs(raw);
        raw.release();
    }

    private ByteBuf bytes(String text) {
        return alloc.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private String readInboundText() {
        Object msg = channel.readInbound();
        assertThat(msg).isInstanceOf(ByteBuf.class);
        return text((ByteBuf) msg);
    }

    /** The buffer's bytes as text; releases it. */
    private static String text(ByteBuf buf) {
        try {
            return new String(ByteBufUtil.getBytes(buf), StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
