package dev.outpost.wire.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The STUN codec against RFC 5769's test vectors, round trips, truncation, malformed input and random mutation. */
class StunCodecTest {
    private static final TransactionId VECTOR_ID = TransactionId.of(hex("b7e7a701 bc34d686 fa87dfae"));

    // RFC 5769 section 2.1: sample request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT).
    static final byte[] SAMPLE_REQUEST = hex("""
            00010058 2112a442 b7e7a701 bc34d686 fa87dfae
            80220010 5354554e 20746573 7420636c 69656e74
            00240004 6e0001ff
            80290008 932ff9b1 51263b36
            00060009 6576746a 3a683676 59202020
            00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
            80280004 e57a3bcf""");

    // RFC 5769 section 2.2: sample IPv4 response, XOR-MAPPED-ADDRESS 192.0.2.1:32853.
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200008 0001a147 e112a643
            00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
            80280004 c07d4c96""");

    // RFC 5769 section 2.3: sample IPv6 response, XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853.
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01010048 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
            00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
            80280004 c8fb0b4c""");

    @Test
    void readsTheSampleRequestOfRfc5769() {
        StunMessage request = StunParser.parse(SAMPLE_REQUEST);

        assertThat(request.type()).isEqualTo(StunMessageType.BINDING_REQUEST);
        assertThat(request.classic()).isFalse();
        assertThat(request.transactionId()).isEqualTo(VECTOR_ID);
        assertThat(request.fingerprint()).isTrue();
        assertThat(request.attribute(StunAttribute.Software.class)).contains(new StunAttribute.Software("STUN test client"));
        assertThat(request.attributes()).contains(new StunAttribute.Opaque(0x0006, "evtj:h6vY".getBytes()));
        // PRIORITY, USERNAME and MESSAGE-INTEGRITY are comprehension-required and not understood here.
        assertThat(request.unknownComprehensionRequired()).containsExactly(0x0024, 0x0006, 0x0008);
    }

    @Test
    void readsTheSampleResponsesOfRfc5769() throws Exception {
        StunMessage v4 = StunParser.parse(SAMPLE_IPV4_RESPONSE);
        assertThat(v4.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(v4.fingerprint()).isTrue();
        assertThat(v4.attribute(StunAttribute.Software.class)).contains(new StunAttribute.Software("test vector"));
        assertThat(v4.attribute(StunAttribute.XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));

        StunMessage v6 = StunParser.parse(SAMPLE_IPV6_RESPONSE);
        assertThat(v6.attribute(StunAttribute.XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
    }

    @Test
    void writesTheXorMappedAddressOfRfc5769BitForBit() throws Exception {
        for (var sample : List.of(SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE)) {
            StunMessage parsed = StunParser.parse(sample);
            StunMessage alone = new StunMessage(parsed.type(), parsed.cookie(), parsed.transactionId(),
                    List.of(parsed.attribute(StunAttribute.XorMappedAddress.class).orElseThrow()), false);
            byte[] written = StunWriter.toBytes(alone);
            int attributeAt = 20 + 16; // after the header and the 16 bytes of SOFTWARE
            assertThat(Arrays.copyOfRange(written, 20, written.length))
                    .isEqualTo(Arrays.copyOfRange(sample, attributeAt, attributeAt + written.length - 20));
        }
    }

    @Test
    void refusesASampleWithOneBitFlipped() {
        byte[] damaged = SAMPLE_IPV4_RESPONSE.clone();
        damaged[40] ^= 0x01; // inside the XOR-MAPPED-ADDRESS
        assertThatThrownBy(() -> StunParser.parse(damaged))
                .isInstanceOf(StunFormatException.class)
                .hasMessageContaining("FINGERPRINT")
                .extracting(e -> ((StunFormatException) e).offset()).isEqualTo(SAMPLE_IPV4_RESPONSE.length - 4);
    }

    @Test
    void encodesMessageTypesAsSection5LaysThemOut() {
        assertThat(StunMessageType.BINDING_REQUEST.encode()).isEqualTo(0x0001);
        assertThat(new StunMessageType(1, StunClass.INDICATION).encode()).isEqualTo(0x0011);
        assertThat(StunMessageType.BINDING_SUCCESS.encode()).isEqualTo(0x0101);
        assertThat(StunMessageType.BINDING_ERROR.encode()).isEqualTo(0x0111);
        for (int method = 0; method <= 0xfff; method += 0x0f3) {
            for (StunClass c : StunClass.values()) {
                var type = new StunMessageType(method, c);
                assertThat(StunMessageType.decode(type.encode())).isEqualTo(type);
            }
        }
    }

    @Test
    void roundTripsEveryAttribute() throws Exception {
        StunMessage message = everything();
        StunMessage back = StunParser.parse(StunWriter.toBytes(message));
        assertThat(back).isEqualTo(message);
        assertThat(StunWriter.toBytes(message).length % 4).isZero();
    }

    @Test
    void roundTripsAClassicRfc3489Request() {
        StunMessage classic = new StunMessage(StunMessageType.BINDING_REQUEST, 0x12345678, TransactionId.random(),
                List.of(new StunAttribute.ChangeRequest(false, true)), false);
        StunMessage back = StunParser.parse(StunWriter.toBytes(classic));
        assertThat(back).isEqualTo(classic);
        assertThat(back.classic()).isTrue();
    }

    @Test
    void fedOneByteAtATimeItRefusesEveryPrefixAtOrBeforeWhereTheBytesEndAndReadsTheWhole() throws Exception {
        StunMessage message = everything();
        byte[] whole = StunWriter.toBytes(message);
        io.netty.buffer.ByteBuf fed = io.netty.buffer.Unpooled.buffer(whole.length);
        try {
            for (int length = 0; length < whole.length; length++) {
                int end = length;
                assertThatThrownBy(() -> StunParser.parse(fed))
                        .as("the first %d bytes", length)
                        .isInstanceOf(StunFormatException.class)
                        .satisfies(e -> assertThat(((StunFormatException) e).offset()).isBetween(0, end));
                assertThat(fed.readerIndex()).as("the parser leaves the buffer as it was").isZero();
                fed.writeByte(whole[length]);
            }
            assertThat(StunParser.parse(fed)).isEqualTo(message);
        } finally {
            fed.release();
        }
    }

    @Test
    void namesTheOffendingByte() {
        TransactionId id = TransactionId.random();
        byte[] ok = StunWriter.toBytes(StunMessage.bindingRequest(id));

        assertRefused(hex("80010000 2112a442 000000000000000000000000"), 0, "first two bits");
        assertRefused(hex("00010002 2112a442 000000000000000000000000 0000"), 2, "multiple of 4");
        assertRefused(hex("00010000 2112a442 000000000000000000000000 00000000"), 20, "follow the end");
        // MAPPED-ADDRESS of family 3
        assertRefused(withLength(concat(Arrays.copyOf(ok, 20), hex("00010008 00030001 01020304"))), 25, "address family");
        // XOR-MAPPED-ADDRESS saying IPv6 with 8 bytes
        assertRefused(withLength(concat(Arrays.copyOf(ok, 20), hex("00200008 00020001 01020304"))), 22, "IPv6");
        // an attribute longer than what is left
        assertRefused(withLength(concat(Arrays.copyOf(ok, 20), hex("80220010 41414141"))), 22, "runs past the end");
        // an attribute after FINGERPRINT
        assertRefused(withLength(concat(ok, hex("80220004 41414141"))), ok.length, "follows FINGERPRINT");
        // ERROR-CODE of class 7
        assertRefused(withLength(concat(Arrays.copyOf(ok, 20), hex("00090004 00000700"))), 26, "class 7");
        // SOFTWARE that is not UTF-8
        assertRefused(withLength(concat(Arrays.copyOf(ok, 20), hex("80220004 41c34141"))), 24, "UTF-8");
    }

    @Test
    void randomMutationsNeverThrowAnythingButTheCodecsException() throws Exception {
        Random random = new Random(5769);
        List<byte[]> seeds = List.of(SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE,
                StunWriter.toBytes(everything()), StunWriter.toBytes(withoutFingerprint(everything())));
        int parsed = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            StunMessage message;
            try {
                message = StunParser.parse(input);
            } catch (StunFormatException refused) {
                continue;
            }
            parsed++;
            // What parses writes back to something that parses to the same value.
            assertThat(StunParser.parse(StunWriter.toBytes(message))).isEqualTo(message);
        }
        assertThat(parsed).as("mutations that still parse").isPositive();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] bytes = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> { // flip bytes
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 8)); // cut or extend
            case 2 -> { // rewrite an attribute length, keeping the header length consistent
                if (bytes.length > 24) {
                    int at = 20 + 4 * random.nextInt((bytes.length - 20) / 4);
                    bytes[at + 2] = (byte) random.nextInt(256);
                    bytes[at + 3] = (byte) random.nextInt(256);
                }
            }
            default -> { // unchecked fingerprint: drop it so deeper mutations get parsed
                bytes = withoutTrailingFingerprint(bytes);
                bytes[20 + random.nextInt(bytes.length - 20)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return bytes;
    }

    private static byte[] withoutTrailingFingerprint(byte[] message) {
        byte[] cut = Arrays.copyOf(message, message.length - 8);
        return withLength(cut);
    }

    static StunMessage everything() throws Exception {
        InetAddress v4 = InetAddress.getByName("203.0.113.7");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        return new StunMessage(StunMessageType.BINDING_SUCCESS, StunMessage.MAGIC_COOKIE, TransactionId.random(), List.of(
                new StunAttribute.XorMappedAddress(new InetSocketAddress(v4, 50123)),
                new StunAttribute.XorMappedAddress(new InetSocketAddress(v6, 1)),
                new StunAttribute.MappedAddress(new InetSocketAddress(v6, 65535)),
                new StunAttribute.ResponseOrigin(new InetSocketAddress(v4, 3478)),
                new StunAttribute.OtherAddress(new InetSocketAddress(v4, 3479)),
                new StunAttribute.SourceAddress(new InetSocketAddress(v4, 3478)),
                new StunAttribute.ChangedAddress(new InetSocketAddress(v6, 3479)),
                new StunAttribute.ChangeRequest(true, false),
                new StunAttribute.ResponsePort(40000),
                new StunAttribute.Padding(5),
                new StunAttribute.Software("outpost 0.1.0 ✓"),
                new StunAttribute.ErrorCode(420, "Unknown Attribute"),
                new StunAttribute.UnknownAttributes(List.of(0x0024, 0x0006, 0x0008)),
                new StunAttribute.Opaque(0x7fff, new byte[] {1, 2, 3})), true);
    }

    private static StunMessage withoutFingerprint(StunMessage m) {
        return new StunMessage(m.type(), m.cookie(), m.transactionId(), m.attributes(), false);
    }

    private static void assertRefused(byte[] input, int offset, String problem) {
        assertThatThrownBy(() -> StunParser.parse(input))
                .isInstanceOf(StunFormatException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining("at byte " + offset)
                .satisfies(e -> assertThat(((StunFormatException) e).offset()).isEqualTo(offset));
    }

    /** Sets the header's length to the bytes after the header. */
    private static byte[] withLength(byte[] message) {
        int length = message.length - 20;
        message[2] = (byte) (length >> 8);
        message[3] = (byte) length;
        return message;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }
}
