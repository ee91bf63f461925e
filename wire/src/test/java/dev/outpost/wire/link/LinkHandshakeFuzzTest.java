package dev.outpost.wire.link;

import dev.outpost.testkit.TrackingAllocator;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes arrive where a handshake is expected, the decoder answers with a LinkHello, waits, or
 * throws {@link CorruptedFrameException} / {@link TooLongFrameException}; nothing else escapes, and
 * no buffer is left unreleased. Fixed seeds, so a failure names an input that can be replayed.
 */
class LinkHandshakeFuzzTest {
    private static final int CASES = 10_000;
    /** Every input that misbehaved, so one bug does not hide another; reported after the whole run. */
    private final List<String> failures = new ArrayList<>();
    private static final String[] JSON_TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "\"recorderId\"", "\"credential\"",
            "\"software\"", "\"viaProxy\"", "\"r\"", "true", "false", "null", "0", "-1", "1e999", "9223372036854775808",
            "\"\\u0000\"", "\"\\ud800\"", " ", "\n", "é", "\uFFFF", "/*", "*/", "'", "NaN"};

    @Test
    void randomBytesOnlyEverFailAsFrameErrors() {
        Random random = new Random(20240917L);
        for (int i = 0; i < CASES; i++) {
            byte[] input = new byte[random.nextInt(65)];
            random.nextBytes(input);
            if (i % 4 == 0 && input.length > 0) {
                input[0] = 'O'; // some get further than the first byte
            }
            feed("random bytes #" + i, input, random);
        }
        assertNoFailures();
    }

    @Test
    void randomPayloadsBehindAValidHeaderOnlyEverFailAsFrameErrors() {
        Random random = new Random(7L);
        for (int i = 0; i < CASES; i++) {
            byte[] payload = i % 2 == 0 ? randomBytes(random, random.nextInt(200)) : jsonish(random);
            int declared = switch (i % 5) {
                case 0 -> random.nextInt(0x10000); // mostly too long
                case 1 -> Math.max(0, payload.length - random.nextInt(3)); // a little short
                default -> payload.length;
            };
            byte[] input = LinkHandshakeCodecTest.concat(LinkHandshakeCodecTest.header(declared), payload);
            feed("payload #" + i, input, random);
        }
        assertNoFailures();
    }

    @Test
    void mutatedValidFramesOnlyEverFailAsFrameErrors() {
        Random random = new Random(42L);
        byte[] plain = encode(new LinkHello("r01hzx9q", "credential-abcdef", "outpost-recorder/1.0", false));
        byte[] withLocal = encode(new LinkHello("r01hzx9q", "credential-abcdef", "outpost-recorder/1.0", false,
                new LocalEndpoint(java.util.List.of("192.168.10.2", "fd00::2"), 7443, "https")));
        for (int i = 0; i < CASES; i++) {
            byte[] input = (i % 2 == 0 ? plain : withLocal).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, random);
            }
            feed("mutated frame #" + i, input, random);
        }
        assertNoFailures();
    }

    private void assertNoFailures() {
        assertThat(failures).as("%d of %d inputs misbehaved", failures.size(), CASES)
                .isEmpty();
    }

    /** Feeds {@code input} in random pieces to a fresh decoder and checks what comes out. */
    private void feed(String name, byte[] input, Random random) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new LinkHandshakeDecoder<>(LinkHello.class));
        String replay = name + ": " + HexFormat.of().formatHex(input);
        try {
            int at = 0;
            while (at < input.length) {
                int piece = random.nextInt(8) == 0 ? 1 : 1 + random.nextInt(input.length - at);
                piece = Math.min(piece, input.length - at);
                channel.writeInbound(alloc.of(Arrays.copyOfRange(input, at, at + piece)));
                at += piece;
            }
        } catch (Throwable t) {
            expectFrameError(replay, t);
        }
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            if (!(msg instanceof LinkHello)) {
                failures.add(replay + " passed on " + msg);
            }
        }
        try {
            channel.finishAndReleaseAll();
        } catch (Throwable t) {
            expectFrameError(replay, t);
        }
        try {
            alloc.assertAllReleased();
        } catch (AssertionError e) {
            failures.add(replay + " leaked: " + e.getMessage());
        }
    }

    private void expectFrameError(String replay, Throwable t) {
        if (!(t instanceof CorruptedFrameException) && !(t instanceof TooLongFrameException)) {
            failures.add(replay + " threw " + t);
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
        if (in.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(in.length);
        return switch (random.nextInt(6)) {
            case 0 -> { // flip a bit
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case 1 -> { // any byte
                byte[] out = in.clone();
                out[at] = (byte) random.nextInt(256);
                yield out;
            }
            case 2 -> { // delete a byte
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                yield out;
            }
            case 3 -> { // insert a byte
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, at);
                out[at] = (byte) random.nextInt(256);
                System.arraycopy(in, at, out, at + 1, in.length - at);
                yield out;
            }
            case 4 -> Arrays.copyOf(in, at); // truncate
            default -> { // bytes after the frame
                yield LinkHandshakeCodecTest.concat(in, randomBytes(random, 1 + random.nextInt(16)));
            }
        };
    }

    private static byte[] jsonish(Random random) {
        StringBuilder json = new StringBuilder();
        int tokens = 1 + random.nextInt(24);
        for (int t = 0; t < tokens; t++) {
            json.append(JSON_TOKENS[random.nextInt(JSON_TOKENS.length)]);
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] encode(Object message) {
        ByteBuf frame = LinkHandshakeCodec.encode(Unpooled.buffer().alloc(), message);
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }
}
