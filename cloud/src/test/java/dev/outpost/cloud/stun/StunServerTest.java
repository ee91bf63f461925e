package dev.outpost.cloud.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.wire.stun.StunAttribute;
import dev.outpost.wire.stun.StunMessage;
import dev.outpost.wire.stun.StunMessageType;
import dev.outpost.wire.stun.StunParser;
import dev.outpost.wire.stun.StunWriter;
import dev.outpost.wire.stun.TransactionId;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The STUN server on real UDP sockets on loopback, probed by a plain JDK socket. */
class StunServerTest {
    static final String PRIMARY = "127.0.0.1";
    static final String ALTERNATE = "127.0.0.2";

    static StunSettings ephemeral(Optional<String> alternate) {
        return new StunSettings(true, Optional.of(PRIMARY), 0, alternate, 0);
    }

    @Test
    void answersBindingWithTheClientsOwnAddress() throws Exception {
        try (StunServer server = StunServer.start(ephemeral(Optional.empty()), "0.0.0.0", StunLimits.defaults());
             Probe probe = new Probe()) {
            TransactionId id = TransactionId.random();
            Received response = probe.exchange(StunMessage.bindingRequest(id), server.address());

            assertThat(response.from()).isEqualTo(server.address());
            assertThat(response.message().type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
            assertThat(response.message().transactionId()).isEqualTo(id);
            assertThat(response.message().fingerprint()).isTrue();
            assertThat(response.message().attribute(StunAttribute.XorMappedAddress.class).orElseThrow().address())
                    .isEqualTo(probe.address());
            assertThat(response.message().attribute(StunAttribute.Software.class).orElseThrow().description())
                    .isEqualTo(StunServer.SOFTWARE);
            assertThat(response.message().attribute(StunAttribute.OtherAddress.class)).isEmpty();
            assertThat(server.stats().answered()).isEqualTo(1);
        }
    }

    @Test
    void dropsAndCountsWhatIsNotABindingRequestAndKeepsServing() throws Exception {
        try (StunServer server = StunServer.start(ephemeral(Optional.empty()), "0.0.0.0", StunLimits.defaults());
             Probe probe = new Probe()) {
            Random random = new Random(8489);
            byte[] valid = StunWriter.toBytes(StunMessage.bindingRequest(TransactionId.random()));
            int malformed = 0;
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[random.nextInt(100)];
                random.nextBytes(junk);
                junk = i % 2 == 0 ? junk : corrupt(valid, random);
                if (!parses(junk)) {
                    probe.send(junk, server.address());
                    malformed++;
                }
            }
            probe.send("GET / HTTP/1.1\r\n\r\n".getBytes(), server.address());
            malformed++;
            StunMessage indication = new StunMessage(new StunMessageType(1, dev.outpost.wire.stun.StunClass.INDICATION),
                    StunMessage.MAGIC_COOKIE, TransactionId.random(), java.util.List.of(), true);
            probe.send(StunWriter.toBytes(indication), server.address());

            int expectedMalformed = malformed;
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().malformed() == expectedMalformed
                    && server.stats().ignored() == 1);
            assertThat(server.stats().answered()).isZero();
            // Still serving.
            Received response = probe.exchange(StunMessage.bindingRequest(TransactionId.random()), server.address());
            assertThat(response.message().type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        }
    }

    @Test
    void answersOneSourceOnlyAsFastAsItsBucketAllows() throws Exception {
        StunLimits tight = new StunLimits(0.001, 5, 1000, 1000, 16);
        try (StunServer server = StunServer.start(ephemeral(Optional.empty()), "0.0.0.0", tight);
             Probe probe = new Probe()) {
            // One request at a time, each counted before the next: 5 answers (the burst), then only refusals.
            for (int i = 1; i <= 20; i++) {
                probe.send(StunWriter.toBytes(StunMessage.bindingRequest(TransactionId.random())), server.address());
                long handled = i;
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        server.stats().answered() + server.stats().rateLimited() == handled);
            }
            assertThat(server.stats()).extracting(StunStats::answered, StunStats::rateLimited).containsExactly(5L, 15L);
            for (int i = 0; i < 5; i++) {
                assertThat(probe.receive().message().type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
            }
        }
    }

    @Test
    void forgetsTheLeastRecentSourcesBeyondItsBound() {
        var limit = new SourceRateLimit(new StunLimits(1, 1, 1_000_000, 1_000_000, 3), 0);
        for (int i = 0; i < 10; i++) {
            assertThat(limit.tryAcquire(loopback(i), 0)).isTrue();
        }
        assertThat(limit.sourcesRemembered()).isEqualTo(3);
        assertThat(limit.tryAcquire(loopback(9), 0)).isFalse();
        assertThat(limit.tryAcquire(loopback(9), 1_000_000_000L)).as("a second later").isTrue();
    }

    @Test
    void discoversBehaviourOnFourSockets() throws Exception {
        try (StunServer server = StunServer.start(ephemeral(Optional.of(ALTERNATE)), "0.0.0.0", StunLimits.defaults());
             Probe probe = new Probe()) {
            assertThat(server.addresses()).hasSize(4);
            InetSocketAddress primary = server.address();

            Received plain = probe.exchange(StunMessage.bindingRequest(TransactionId.random()), primary);
            InetSocketAddress other = plain.message().attribute(StunAttribute.OtherAddress.class).orElseThrow().address();
            assertThat(other.getAddress().getHostAddress()).isEqualTo(ALTERNATE);
            assertThat(other.getPort()).isNotEqualTo(primary.getPort());
            assertThat(plain.message().attribute(StunAttribute.ResponseOrigin.class).orElseThrow().address())
                    .isEqualTo(primary);

            Received changed = probe.exchange(StunMessage.bindingRequest(TransactionId.random(),
                    new StunAttribute.ChangeRequest(true, true)), primary);
            assertThat(changed.from()).isEqualTo(other);
            assertThat(changed.message().attribute(StunAttribute.ResponseOrigin.class).orElseThrow().address())
                    .isEqualTo(other);

            Received portOnly = probe.exchange(StunMessage.bindingRequest(TransactionId.random(),
                    new StunAttribute.ChangeRequest(false, true)), primary);
            assertThat(portOnly.from()).isEqualTo(new InetSocketAddress(primary.getAddress(), other.getPort()));

            Received toAlternate = probe.exchange(StunMessage.bindingRequest(TransactionId.random()),
                    new InetSocketAddress(other.getAddress(), primary.getPort()));
            assertThat(toAlternate.message().attribute(StunAttribute.XorMappedAddress.class).orElseThrow().address())
                    .isEqualTo(probe.address());
        }
    }

    private static InetAddress loopback(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) i});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] corrupt(byte[] valid, Random random) {
        byte[] bytes = Arrays.copyOf(valid, valid.length);
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
        return bytes;
    }

    private static boolean parses(byte[] bytes) {
        try {
            StunParser.parse(bytes);
            return true;
        } catch (dev.outpost.wire.stun.StunFormatException e) {
            return false;
        }
    }

    record Received(StunMessage message, InetSocketAddress from) {
    }

    /** A UDP socket on 127.0.0.1 that sends requests and reads responses, waiting at most 5 s for each. */
    static final class Probe implements AutoCloseable {
        private final DatagramSocket socket;

        Probe() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(PRIMARY, 0));
            socket.setSoTimeout(5000);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(byte[] bytes, InetSocketAddress to) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        }

        Received exchange(StunMessage request, InetSocketAddress to) throws IOException {
            send(StunWriter.toBytes(request), to);
            Received response = receive();
            assertThat(response.message().transactionId()).isEqualTo(request.transactionId());
            return response;
        }

        Received receive() throws IOException {
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return new Received(StunParser.parse(Arrays.copyOf(buffer, packet.getLength())),
                    (InetSocketAddress) packet.getSocketAddress());
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
