package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.system.BadInputSockets.Answer;
import dev.outpost.wire.link.LinkHandshakeCodec;
import dev.outpost.wire.link.LinkHello;
import dev.outpost.wire.link.LinkProtocol;
import dev.outpost.wire.link.LinkWelcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever selects the link's ALPN name (or upgrades {@code /link}) and does not say a proper hello
 * with a valid credential gets a refusal with its reason, or a closed connection, and never disturbs
 * the recorder that really holds that identity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputLinkPortTest {
    /** Far below the cloud's 15 s handshake deadline: refusals must come from the bytes, not a timeout. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    Site site;
    OutpostClient admin;
    Recorder recorder;
    String recorderId;
    Instant onlineSince;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        site = Site.start(dir);
        admin = site.admin();
        recorder = site.recorder("Real one");
        recorderId = recorder.identity().recorderId();
        onlineSince = site.cloud().links().find(recorderId).orElseThrow().since();
    }

    @AfterAll
    void stop() {
        site.close();
    }

    /** After every test: the real recorder still holds its first link, and it carries requests. */
    @AfterEach
    void theRealRecorderIsUndisturbed() throws Exception {
        assertThat(site.cloud().links().find(recorderId).orElseThrow().since()).isEqualTo(onlineSince);
        try (RelayResponse relayed = admin.relayGet(recorderId, "/api/info")) {
            assertThat(relayed.status()).isEqualTo(200);
            relayed.body().readAllBytes();
        }
    }

    private SSLSocket link() throws IOException {
        SSLSocket socket = BadInputSockets.tls(site.cloud(), LinkProtocol.ALPN);
        assertThat(socket.getApplicationProtocol()).isEqualTo(LinkProtocol.ALPN);
        return socket;
    }

    private static byte[] frame(Object message) {
        ByteBuf encoded = LinkHandshakeCodec.encode(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
        }
    }

    private static byte[] rawFrame(byte[] json) {
        return ByteBuffer.allocate(6 + json.length).put("OPL1".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) json.length).put(json).array();
    }

    private static LinkWelcome readWelcome(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        data.readFully(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("OPL1");
        byte[] payload = new byte[data.readUnsignedShort()];
        data.readFully(payload);
        return LinkHandshakeCodec.decode(payload, LinkWelcome.class);
    }

    private LinkWelcome helloAndWelcome(LinkHello hello) throws IOException {
        try (SSLSocket socket = link()) {
            socket.getOutputStream().write(frame(hello));
            socket.getOutputStream().flush();
            LinkWelcome welcome = readWelcome(socket.getInputStream());
            assertThat(BadInputSockets.closedByPeerWithin(socket, PROMPTLY)).as("closed after the refusal").isTrue();
            return welcome;
        }
    }

    private void closedPromptlyAfter(byte[] bytes) throws IOException {
        try (SSLSocket socket = link()) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            assertThat(BadInputSockets.closedByPeerWithin(socket, PROMPTLY)).isTrue();
        }
    }

    @Test
    void aWrongCredentialIsRefusedAsBadCredential() throws Exception {
        LinkWelcome welcome = helloAndWelcome(new LinkHello(recorderId, "not-the-credential", "impostor/1", false));

        assertThat(welcome.accepted()).isFalse();
        assertThat(welcome.code()).isEqualTo(LinkWelcome.BAD_CREDENTIAL);
        assertThat(welcome.message()).contains("credential").contains("activate the recorder again");
        assertThat(welcome.permanent()).isTrue();
    }

    @Test
    void anEmptyCredentialIsRefusedAsBadCredential() throws Exception {
        LinkWelcome welcome = helloAndWelcome(new LinkHello(recorderId, "", "impostor/1", false));

        assertThat(welcome.code()).isEqualTo(LinkWelcome.BAD_CREDENTIAL);
    }

    @Test
    void anUnknownRecorderIsRefusedAsUnknown() throws Exception {
        LinkWelcome welcome = helloAndWelcome(new LinkHello("rzzzzzzzzzzzzzzzz", "whatever", "stranger/1", false));

        assertThat(welcome.accepted()).isFalse();
        assertThat(welcome.code()).isEqualTo(LinkWelcome.UNKNOWN);
        assertThat(welcome.message()).contains("activate the recorder with a new code");
    }

    @Test
    void anAbsurdRecorderIdIsRefusedAsUnknown() throws Exception {
        LinkWelcome welcome = helloAndWelcome(new LinkHello("x".repeat(5000), "whatever", "stranger/1", false));

        assertThat(welcome.code()).isEqualTo(LinkWelcome.UNKNOWN);
    }

    @Test
    void aHelloArrivingOneByteAtATimeIsStillJudged() throws Exception {
        byte[] hello = frame(new LinkHello(recorderId, "not-the-credential", "slow/1", false));
        try (SSLSocket socket = link()) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (byte b : hello) {
                out.write(b);
                out.flush();
            }
            assertThat(readWelcome(socket.getInputStream()).code()).isEqualTo(LinkWelcome.BAD_CREDENTIAL);
        }
    }

    @Test
    void garbageInsteadOfAHelloIsClosedOn() throws Exception {
        closedPromptlyAfter("GET / HTTP/1.1\r\nHost: cloud\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        closedPromptlyAfter(new byte[] {'O', 'P', 'X'}); // wrong from the third byte
        closedPromptlyAfter("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // HTTP/2 without a hello
    }

    @Test
    void aFrameAnnouncingMoreThan8KiBIsClosedOnAtOnce() throws Exception {
        closedPromptlyAfter(new byte[] {'O', 'P', 'L', '1', (byte) 0xff, (byte) 0xff});
        closedPromptlyAfter(new byte[] {'O', 'P', 'L', '1', 0x20, 0x01});
    }

    @Test
    void aFrameWhosePayloadIsNotAHelloIsClosedOn() throws Exception {
        closedPromptlyAfter(rawFrame("{}".getBytes(StandardCharsets.UTF_8)));
        closedPromptlyAfter(rawFrame("{\"recorderId\": ".getBytes(StandardCharsets.UTF_8)));
        closedPromptlyAfter(rawFrame("[1, 2, 3]".getBytes(StandardCharsets.UTF_8)));
        closedPromptlyAfter(rawFrame(new byte[0]));
        byte[] binary = new byte[512];
        ThreadLocalRandom.current().nextBytes(binary);
        closedPromptlyAfter(rawFrame(binary));
    }

    @Test
    void aWelcomeSentToTheCloudIsNotAHello() throws Exception {
        // Role confusion: the recorder's side of the handshake is a hello; a welcome lacks its fields.
        closedPromptlyAfter(frame(LinkWelcome.accept("1.2.3.4")));
    }

    @Test
    void aMisbehavingLinkIsLoggedOnceInOneLine() throws Exception {
        try (SecurityLogCapture log = new SecurityLogCapture(); SSLSocket socket = link()) {
            String peer = "127.0.0.1:" + socket.getLocalPort();
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: cloud\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(BadInputSockets.closedByPeerWithin(socket, PROMPTLY)).isTrue();

            await("the cloud logs why it closed").atMost(PROMPTLY).until(() -> !log.containing(peer).isEmpty());
            // docs and LinkAcceptor.LinkErrors: "a link that misbehaves is logged once, in one line".
            await().during(Duration.ofMillis(500)).atMost(PROMPTLY)
                    .untilAsserted(() -> assertThat(log.containing(peer)).hasSize(1));
        }
    }

    @Test
    void aHelloCannotWriteLinesIntoTheCloudsLog() throws Exception {
        String forged = "20:00:00.000 [main] INFO  d.o.c.links.LinkAcceptor - recorder rforgedforgedforg online over h2";
        try (SecurityLogCapture log = new SecurityLogCapture()) {
            LinkWelcome welcome = helloAndWelcome(new LinkHello("nobody\n" + forged + "\r\n", "x", "stranger/1", false));
            assertThat(welcome.code()).isEqualTo(LinkWelcome.UNKNOWN);

            // An unauthenticated peer chose that id: whatever of it the cloud logs must stay on one line.
            assertThat(log.containing("rforgedforgedforg"))
                    .allSatisfy(message -> assertThat(message).doesNotContain("\n").doesNotContain("\r"));
        }
    }

    @Test
    void theWebSocketFallbackRefusesAWrongCredentialToo() throws Exception {
        try (SSLSocket socket = BadInputSockets.tls(site.cloud(), "http/1.1")) {
            OutputStream out = socket.getOutputStream();
            String key = Base64.getEncoder().encodeToString("outpost-test-key".getBytes(StandardCharsets.US_ASCII));
            out.write(("GET /link HTTP/1.1\r\nHost: cloud\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: " + LinkProtocol.WEBSOCKET_SUBPROTOCOL + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            Answer upgraded = readHead(in);
            assertThat(upgraded.status()).isEqualTo(101);

            out.write(maskedBinaryFrame(frame(new LinkHello(recorderId, "not-the-credential", "impostor/1", false))));
            out.flush();

            LinkWelcome welcome = readWelcome(new java.io.ByteArrayInputStream(readServerFrame(in)));
            assertThat(welcome.code()).isEqualTo(LinkWelcome.BAD_CREDENTIAL);
            assertThat(BadInputSockets.closedByPeerWithin(socket, PROMPTLY)).isTrue();
        }
    }

    @Test
    void theWebSocketFallbackClosesOnGarbage() throws Exception {
        try (SSLSocket socket = BadInputSockets.tls(site.cloud(), "http/1.1")) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /link HTTP/1.1\r\nHost: cloud\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: " + LinkProtocol.WEBSOCKET_SUBPROTOCOL + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(socket.getInputStream()).status()).isEqualTo(101);

            out.write(maskedBinaryFrame("not a hello at all".getBytes(StandardCharsets.US_ASCII)));
            out.flush();

            assertThat(BadInputSockets.closedByPeerWithin(socket, PROMPTLY)).isTrue();
        }
    }

    @Test
    void linkWithoutAnUpgradeIsAnswered426() throws Exception {
        Answer answer = BadInputSockets.exchange(site.cloud(), "GET /link HTTP/1.1\r\nHost: cloud\r\n\r\n");

        assertThat(answer.status()).isEqualTo(426);
        assertThat(answer.body()).contains(LinkProtocol.WEBSOCKET_SUBPROTOCOL);
    }

    /** The head of a 101 answer (no body follows it; the WebSocket does). */
    private static Answer readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] bytes;
        do {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade answer: " + head);
            }
            head.write(b);
            bytes = head.toByteArray();
        } while (!(bytes.length >= 4 && bytes[bytes.length - 4] == '\r' && bytes[bytes.length - 1] == '\n'
                && bytes[bytes.length - 2] == '\r'));
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return new Answer(Integer.parseInt(text.split(" ", 3)[1]), java.util.Map.of(), "");
    }

    /** RFC 6455 section 5.2: a final binary frame, masked as every client frame must be. */
    private static byte[] maskedBinaryFrame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x82);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    /** The payload of the server's next frame, which must be binary and unmasked. */
    private static byte[] readServerFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = data.readUnsignedByte();
        assertThat(first & 0x0f).as("opcode").isEqualTo(0x2);
        int second = data.readUnsignedByte();
        assertThat(second & 0x80).as("server frames are not masked").isZero();
        long length = second & 0x7f;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        data.readFully(payload);
        return payload;
    }
}
