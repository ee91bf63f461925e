package dev.outpost.client.p2p;

import dev.outpost.p2p.http.Http1Response;
import dev.outpost.p2p.ice.IcePeer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.QuicStream;

/**
 * A working P2P path to a recorder: the QUIC connection on the pair ICE selected. Each {@link #get} is one HTTP/1.1
 * exchange on a new QUIC stream, answered by the recorder's router with the grant checked. Closing it closes the
 * connection, frees the ICE agent and ends the recorder's session.
 */
public final class P2pLink implements AutoCloseable {
    /**
     * How long each step took.
     *
     * @param gathering  making the ICE agent: binding the host candidates (part of {@code signalling})
     * @param signalling from making the ICE agent to the answer, through the cloud and the link
     * @param ice        answer to a selected pair
     * @param quic       the QUIC handshake on it
     * @param pair       the selected pair, {@code local type address -> remote type address}
     * @param remote     the recorder's address on the selected pair
     */
    public record Setup(Duration gathering, Duration signalling, Duration ice, Duration quic, String pair,
                        InetSocketAddress remote) {
        public Duration total() {
            return signalling.plus(ice).plus(quic);
        }
    }

    private final IcePeer peer;
    private final QuicClientConnection quic;
    private final P2pSignalling signalling;
    private final String sessionId;
    private final Setup setup;

    P2pLink(IcePeer peer, QuicClientConnection quic, P2pSignalling signalling, String sessionId, Setup setup) {
        this.peer = peer;
        this.quic = quic;
        this.signalling = signalling;
        this.sessionId = sessionId;
        this.setup = setup;
    }

    public Setup setup() {
        return setup;
    }

    /** A GET of the recorder's {@code apiPath} with {@code grant}, returned once the response head is in. */
    public Http1Response get(String apiPath, String grant) throws IOException {
        QuicStream stream = quic.createStream(true);
        Http1Response.writeGet(stream.getOutputStream(), apiPath.startsWith("/") ? apiPath : "/" + apiPath, grant);
        stream.getOutputStream().close(); // one request per stream
        Http1Response response = Http1Response.read(stream.getInputStream());
        InputStream body = response.body();
        return new Http1Response(response.status(), response.headers(), new InputStream() {
            @Override
            public int read() throws IOException {
                return body.read();
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                return body.read(into, offset, length);
            }

            @Override
            public void close() {
                stream.abortReading(0); // tells the recorder to stop sending (STOP_SENDING)
            }
        });
    }

    @Override
    public void close() {
        quic.close();
        peer.close();
        Thread.ofVirtual().name("p2p-close").start(() -> {
            try {
                signalling.close(sessionId);
            } catch (IOException | RuntimeException ignored) {
                // the recorder closes idle sessions anyway
            }
        });
    }
}
