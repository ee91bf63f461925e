package dev.outpost.wire.link;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The link handshake frame: {@link LinkHandshakeCodec} alone, then {@link LinkHandshakeDecoder} on a channel. */
class LinkHandshakeCodecTest {
    private static final byte[] MAGIC = "OPL1".getBytes(StandardCharsets.US_ASCII);
    private static final LinkHello HELLO = new LinkHello("r7kq2m0abc", "s3cret-credential", "outpost-recorder/1.2.3", true);

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void nothingLeaked() {
        alloc.assertAllReleased();
    }

    // ---- the codec alone ----

    @Test
    void aHelloIsMagicThenLengthThenJson() {
        ByteBuf frame = LinkHandshakeCodec.encode(alloc, HELLO);
        try {
            byte[] bytes = ByteBufUtil.getBytes(frame);
            assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(MAGIC);
            int length = ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff);
            assertThat(length).isEqualTo(bytes.length - LinkHandshakeCodec.HEADER_BYTES);
            assertThat(new String(bytes, 6, length, StandardCharsets.UTF_8)).startsWith("{").contains("\"recorderId\":\"r7kq2m0abc\"");
        } finally {
            frame.release();
        }
    }

    @Test
    void aHelloRoundTrips() {
        ByteBuf frame = LinkHandshakeCodec.encode(alloc, HELLO);
        try {
            byte[] payload = LinkHandshakeCodec.takeFrame(frame);
            assertThat(frame.isReadable()).as("the frame is consumed whole").isFalse();
            assertThat(LinkHandshakeCodec.decode(payload, LinkHello.class)).isEqualTo(HELLO);
        } finally {
            frame.release();
        }
    }

    @Test
    void welcomesRoundTripAcceptedAndRefused() {
        for (LinkWelcome welcome : List.of(LinkWelcome.accept("203.0.113.9"),
                LinkWelcome.refuse(LinkWelcome.REVOKED, "activate again: outpost recorder --activate CODE"),
                LinkWelcome.refuse(LinkWelcome.UNAVAILABLE, "the cloud is busy; retrying"),
                new LinkWelcome(false, "bad-credential", "Zugangsdaten ungültig – «neu aktivieren» ☃", ""))) {
            ByteBuf frame = LinkHandshakeCodec.encode(alloc, welcome);
            try {
                LinkWelcome back = LinkHandshakeCodec.decode(LinkHandshakeCodec.takeFrame(frame), LinkWelcome.class);
                assertThat(back).isEqualTo(welcome);
                assertThat(back.permanent()).isEqualTo(welcome.permanent());
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void refusalsThatRetryingCannotFixArePermanent() {
        assertThat(LinkWelcome.refuse(LinkWelcome.REVOKED, "").permanent()).isTrue();
        assertThat(LinkWelcome.refuse(LinkWelcome.UNKNOWN, "").permanent()).isTrue();
        assertThat(LinkWelcome.refuse(LinkWelcome.BAD_CREDENTIAL, "").permanent()).isTrue();
        assertThat(LinkWelcome.refuse(LinkWelcome.UNAVAILABLE, "").permanent()).isFalse();
        assertThat(LinkWelcome.accept("198.51.100.1").permanent()).isFalse();
    }

    @Test
    void aMessageOfExactlyMaxPayloadRoundTrips() {
        int overhead = json(new LinkWelcome(false, "unavailable", "", "")).length;
        LinkWelcome biggest = new LinkWelcome(false, "unavailable", "x".repeat(LinkHandshakeCodec.MAX_PAYLOAD - overhead), "");
        assertThat(json(biggest)).hasSize(LinkHandshakeCodec.MAX_PAYLOAD);

        EmbeddedChannel channel = decoderChannel(LinkWelcome.class);
        feedOneByteAtATime(channel, frameBytes(biggest));
        assertThat((LinkWelcome) channel.readInbound()).isEqualTo(biggest);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void encodingAMessageOverMaxPayloadIsRefusedBeforeAllocating() {
        LinkWelcome tooBig = LinkWelcome.refuse(LinkWelcome.UNAVAILABLE, "v".repeat(LinkHandshakeCodec.MAX_PAYLOAD));
        assertThatThrownBy(() -> LinkHandshakeCodec.encode(alloc, tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds " + LinkHandshakeCodec.MAX_PAYLOAD);
        assertThat(alloc.allocations()).isZero();
    }

    @Test
    void anIncompleteFrameIsLeftUntouched() {
        byte[] whole = frameBytes(HELLO);
        for (int n = 0; n < whole.length; n++) {
            ByteBuf partial = alloc.of(Arrays.copyOf(whole, n));
            try {
                assertThat(LinkHandshakeCodec.takeFrame(partial)).as("first %d bytes", n).isNull();
                assertThat(partial.readerIndex()).isZero();
            } finally {
                partial.release();
            }
        }
    }

    @Test
    void aLengthOverMaxPayloadIsRefusedFromTheHeaderAlone() {
        for (int length : new int[] {LinkHandshakeCodec.MAX_PAYLOAD + 1, 0xFFFF}) {
            // Only the six header bytes: the codec must not wait for (or allocate) the declared payload.
            ByteBuf header = alloc.of(header(length));
            try {
                assertThatThrownBy(() -> LinkHandshakeCodec.takeFrame(header))
                        .isInstanceOf(TooLongFrameException.class)
                        .hasMessageContaining(String.valueOf(length))
                        .hasMessageContaining(String.valueOf(LinkHandshakeCodec.MAX_PAYLOAD));
                assertThat(header.readerIndex()).isZero();
            } finally {
                header.release();
            }
        }
    }

    @Test
    void aLengthOfExactlyMaxPayloadWaitsForThePayload() {
        ByteBuf header = alloc.of(header(LinkHandshakeCodec.MAX_PAYLOAD));
        try {
            assertThat(LinkHandshakeCodec.takeFrame(header)).isNull();
        } finally {
            header.release();
        }
    }

    // ---- the decoder on a channel ----

    @Test
    void theDecoderFedOneByteAtATimeYieldsTheHelloAfterTheLastByte() {
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        byte[] bytes = frameBytes(HELLO);
        for (int i = 0; i < bytes.length; i++) {
            channel.writeInbound(alloc.of(bytes[i]));
            if (i < bytes.length - 1) {
                assertThat(channel.<Object>readInbound()).as("after byte %d", i).isNull();
            }
        }
        assertThat((LinkHello) channel.readInbound()).isEqualTo(HELLO);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theDecoderFedOneByteAtATimeYieldsAWelcomeWithMultiByteCharacters() {
        LinkWelcome welcome = LinkWelcome.refuse(LinkWelcome.UNKNOWN, "récorder inconnu – 未知 – 🛰");
        EmbeddedChannel channel = decoderChannel(LinkWelcome.class);
        feedOneByteAtATime(channel, frameBytes(welcome));
        assertThat((LinkWelcome) channel.readInbound()).isEqualTo(welcome);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "wrong byte {0}, {1}")
    @CsvSource({"0, whole", "1, whole", "2, whole", "3, whole",
            "0, one byte at a time", "1, one byte at a time", "2, one byte at a time", "3, one byte at a time"})
    void badMagicIsCorruptAndNamesTheByte(int wrong, String feeding) {
        byte[] bytes = frameBytes(HELLO);
        bytes[wrong] ^= 0x20; // "OPL1" -> "oPL1", "OpL1", ...
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        Throwable thrown = catchThrowable(() -> {
            if (feeding.equals("whole")) {
                channel.writeInbound(alloc.of(bytes));
            } else {
                feedOneByteAtATime(channel, bytes);
            }
        });
        assertThat(channel.<Object>readInbound()).isNull();
        closeExpectingOnlyFrameErrors(channel);
        assertThat(thrown).isInstanceOf(CorruptedFrameException.class).hasMessageContaining("at byte " + wrong);
    }

    @Test
    void aPlainHttpRequestIsNotAHandshake() {
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        Throwable thrown = catchThrowable(() -> channel.writeInbound(alloc.of("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
        closeExpectingOnlyFrameErrors(channel);
        assertThat(thrown).isInstanceOf(CorruptedFrameException.class).hasMessageContaining("not an Outpost link handshake");
    }

    @Test
    void theDecoderRefusesALengthOverMaxPayloadBeforeThePayloadArrives() {
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        byte[] header = header(LinkHandshakeCodec.MAX_PAYLOAD + 1);
        Throwable thrown = catchThrowable(() -> feedOneByteAtATime(channel, header));
        closeExpectingOnlyFrameErrors(channel);
        assertThat(thrown).isInstanceOf(TooLongFrameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "{\"recorderId\":", "[]", "\"a string\"", "42", "true",
            "{\"credential\":\"c\"}", "{\"recorderId\":\"r\"}", "{\"recorderId\":\"r\",\"credential\":\"c\",\"viaProxy\":{}}",
            "{\"recorderId\":[1,2],\"credential\":\"c\"}"})
    void invalidJsonIsACorruptFrame(String json) {
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        Throwable thrown = catchThrowable(() -> feedOneByteAtATime(channel, rawFrame(json.getBytes(StandardCharsets.UTF_8))));
        assertThat(channel.<Object>readInbound()).isNull();
        closeExpectingOnlyFrameErrors(channel);
        assertThat(thrown).isInstanceOf(CorruptedFrameException.class).hasMessageContaining("not a valid LinkHello");
    }

    @Test
    void deeplyNestedJsonIsACorruptFrameNotAStackOverflow() {
        byte[] json = "[".repeat(LinkHandshakeCodec.MAX_PAYLOAD).getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel channel = decoderChannel(LinkWelcome.class);
        Throwable thrown = catchThrowable(() -> channel.writeInbound(alloc.of(rawFrame(json))));
        closeExpectingOnlyFrameErrors(channel);
        assertThat(thrown).isInstanceOf(CorruptedFrameException.class);
    }

    @Test
    void aJsonNullIsACorruptFrame() {
        byte[] json = "null".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LinkHandshakeCodec.decode(json, LinkHello.class))
                .as("decode(\"null\") must not return null").isInstanceOf(CorruptedFrameException.class);

        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        Throwable thrown = catchThrowable(() -> channel.writeInbound(alloc.of(rawFrame(json))));
        closeExpectingOnlyFrameErrors(channel);
        assertThat(thrown).as("what the decoder throws for a JSON null").isInstanceOf(CorruptedFrameException.class);
    }

    @Test
    void fieldsFromANewerPeerAreIgnored() {
        byte[] json = "{\"recorderId\":\"r1\",\"credential\":\"c\",\"software\":\"s\",\"viaProxy\":false,\"capabilities\":[\"quic\"]}"
                .getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        channel.writeInbound(alloc.of(rawFrame(json)));
        assertThat((LinkHello) channel.readInbound()).isEqualTo(new LinkHello("r1", "c", "s", false));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHelloNeverShowsItsCredential() {
        assertThat(HELLO.toString()).contains("r7kq2m0abc").doesNotContain("s3cret");
    }

    @Test
    void aConnectionThatClosesMidFrameYieldsNothing() {
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        byte[] bytes = frameBytes(HELLO);
        channel.writeInbound(alloc.of(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesAfterTheHelloGoToTheNextHandlerWhenTheDecoderIsRemoved() {
        byte[] extra = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        channel.writeInbound(alloc.of(concat(frameBytes(HELLO), extra)));

        assertThat((LinkHello) channel.readInbound()).isEqualTo(HELLO);
        assertThat(channel.<Object>readInbound()).as("the extra bytes wait inside the decoder").isNull();

        channel.pipeline().remove(LinkHandshakeDecoder.class);
        assertThat(readAllBytes(channel)).isEqualTo(extra);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesArrivingAfterTheHelloInLaterReadsWaitForTheNextHandler() {
        byte[] more = "more bytes that belong to HTTP/2".getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel channel = decoderChannel(LinkHello.class);
        channel.writeInbound(alloc.of(concat(frameBytes(HELLO), Arrays.copyOf(more, 4))));
        channel.writeInbound(alloc.of(Arrays.copyOfRange(more, 4, 10)));
        feedOneByteAtATime(channel, Arrays.copyOfRange(more, 10, more.length));

        assertThat((LinkHello) channel.readInbound()).isEqualTo(HELLO);
        assertThat(channel.<Object>readInbound()).isNull();
        channel.pipeline().remove(LinkHandshakeDecoder.class);
        assertThat(readAllBytes(channel)).isEqualTo(more);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHandlerThatRemovesTheDecoderOnTheHelloGetsExactlyTheBytesAfterIt() {
        // As the cloud does: the handler that reads the hello removes itself and the decoder.
        byte[] extra = new byte[300];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = (byte) i;
        }
        for (boolean oneByteAtATime : new boolean[] {false, true}) {
            List<LinkHello> hellos = new ArrayList<>();
            EmbeddedChannel channel = new EmbeddedChannel();
            channel.config().setAllocator(alloc);
            channel.pipeline().addLast("decoder", new LinkHandshakeDecoder<>(LinkHello.class));
            channel.pipeline().addLast("admission", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof LinkHello hello) {
                        hellos.add(hello);
                        ctx.pipeline().remove(this);
                        ctx.pipeline().remove("decoder");
                    } else {
                        ctx.fireChannelRead(msg);
                    }
                }
            });
            byte[] all = concat(frameBytes(HELLO), extra);
            if (oneByteAtATime) {
                feedOneByteAtATime(channel, all);
            } else {
                channel.writeInbound(alloc.of(all));
            }
            assertThat(hellos).containsExactly(HELLO);
            assertThat(readAllBytes(channel)).as("one byte at a time: %s", oneByteAtATime).isEqualTo(extra);
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aCorruptFrameIsReportedOnceEvenWhenTheConnectionThenCloses() {
        // The cloud's last handler logs every exception and closes: one bad frame should make one line.
        List<Throwable> reported = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new LinkHandshakeDecoder<>(LinkHello.class));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                reported.add(cause);
                ctx.close();
            }
        });
        channel.writeInbound(alloc.of("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
        assertThat(reported).hasSize(1);
        assertThat(reported.getFirst()).isInstanceOf(CorruptedFrameException.class);
    }

    // ---- helpers ----

    private EmbeddedChannel decoderChannel(Class<?> type) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new LinkHandshakeDecoder<>(type));
        return channel;
    }

    private void feedOneByteAtATime(EmbeddedChannel channel, byte[] bytes) {
        for (byte b : bytes) {
            channel.writeInbound(alloc.of(b));
        }
    }

    /** Closes a channel whose decoder failed; closing may only report the same kind of frame error. */
    static void closeExpectingOnlyFrameErrors(EmbeddedChannel channel) {
        try {
            channel.finishAndReleaseAll();
        } catch (CorruptedFrameException | TooLongFrameException expected) {
            // The decoder still holds the bad bytes and may say so again on close.
        }
    }

    private byte[] frameBytes(Object message) {
        ByteBuf frame = LinkHandshakeCodec.encode(alloc, message);
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    private static byte[] json(Object message) {
        return dev.outpost.wire.json.Json.write(message);
    }

    static byte[] header(int length) {
        return new byte[] {'O', 'P', 'L', '1', (byte) (length >>> 8), (byte) length};
    }

    static byte[] rawFrame(byte[] json) {
        return concat(header(json.length), json);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Everything the channel passed on as ByteBufs, released, as one array. */
    static byte[] readAllBytes(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            assertThat(msg).isInstanceOf(ByteBuf.class);
            ByteBuf buf = (ByteBuf) msg;
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }
}
