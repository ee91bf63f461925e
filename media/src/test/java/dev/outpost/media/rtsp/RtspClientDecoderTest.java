package dev.outpost.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtspClientDecoderTest {
    static final String DESCRIBE_ANSWER = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://cam/main/\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=x\r\n";

    @Test
    void responsesAndInterleavedFramesComeApartEvenOneByteAtATime() {
        ByteBuf all = Unpooled.buffer();
        all.writeCharSequence(DESCRIBE_ANSWER, StandardCharsets.US_ASCII);
        all.writeBytes(new byte[] {'$', 0, 0, 3, (byte) 0x80, 96, 1});
        all.writeBytes(new byte[] {'$', 1, 0, 0});
        all.writeCharSequence("RTSP/1.0 401 Unauthorized\nCSeq: 3\nWWW-Authenticate: Digest realm=\"c\", nonce=\"n\"\n"
                + "WWW-Authenticate: Basic realm=\"c\"\n\n", StandardCharsets.US_ASCII);
        for (int chunk : new int[] {1, 7, all.readableBytes()}) {
            List<Object> decoded = decode(all.duplicate(), chunk);
            assertThat(decoded).hasSize(4);
            RtspResponse ok = (RtspResponse) decoded.get(0);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.cseq()).isEqualTo(2);
            assertThat(ok.header("content-base")).contains("rtsp://cam/main/");
            assertThat(ok.bodyText()).isEqualTo("v=0\r\ns=x\r\n");
            InterleavedFrame rtp = (InterleavedFrame) decoded.get(1);
            assertThat(rtp.channel()).isZero();
            assertThat(rtp.content().readableBytes()).isEqualTo(3);
            InterleavedFrame empty = (InterleavedFrame) decoded.get(2);
            assertThat(empty.channel()).isEqualTo(1);
            assertThat(empty.content().readableBytes()).isZero();
            RtspResponse challenge = (RtspResponse) decoded.get(3);
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.all("WWW-Authenticate")).hasSize(2);
            rtp.release();
            empty.release();
        }
        all.release();
    }

    @Test
    void garbageIsRefusedWithWhatWasSeen() {
        assertThatThrownBy(() -> decode(ascii("HTTP/1.1 200 OK\r\n\r\n"), 64))
                .isInstanceOf(DecoderException.class).hasMessageContaining("bad RTSP status line");
        assertThatThrownBy(() -> decode(ascii("hello camera"), 64))
                .isInstanceOf(DecoderException.class).hasMessageContaining("expected an RTSP response").hasMessageContaining("hello");
        assertThatThrownBy(() -> decode(ascii("RTSP/1.0 abc OK\r\n\r\n"), 64))
                .hasMessageContaining("bad RTSP status code");
        assertThatThrownBy(() -> decode(ascii("RTSP/1.0 200 OK\r\nno colon here\r\n\r\n"), 64))
                .hasMessageContaining("bad RTSP header line");
        assertThatThrownBy(() -> decode(ascii("RTSP/1.0 200 OK\r\nContent-Length: -4\r\n\r\n"), 64))
                .hasMessageContaining("body of -4 bytes");
        assertThatThrownBy(() -> decode(ascii("RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n"), 64))
                .hasMessageContaining("at most");
    }

    @Test
    void anEndlessHeadIsRefusedBeforeItIsBufferedWhole() {
        String endless = "RTSP/1.0 200 OK\r\n" + "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(1000);
        assertThatThrownBy(() -> decode(ascii(endless), 4096))
                .isInstanceOf(DecoderException.class).hasMessageContaining("longer than");
    }

    private static List<Object> decode(ByteBuf bytes, int chunk) {
        EmbeddedChannel channel = new EmbeddedChannel(new RtspClientDecoder());
        List<Object> out = new ArrayList<>();
        try {
            while (bytes.isReadable()) {
                channel.writeInbound(bytes.readRetainedSlice(Math.min(chunk, bytes.readableBytes())));
                Object o;
                while ((o = channel.readInbound()) != null) {
                    out.add(o);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return out;
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
