package dev.outpost.client.p2p;

import dev.outpost.p2p.http.Http1Response;
import dev.outpost.p2p.ice.IcePeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import dev.outpost.p2p.quic.QuicStreamInput;
import io.netty.handler.codec.quic.QuicChannel;
import java.io.FilterInputStream;

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

    /** How long opening a stream may take on a working connection. */
    static final Duration STREAM_OPEN = Duration.ofSeconds(2);

    private final IcePeer peer;
    private final QuicChannel quic;
    private final P2pSignalling signalling;
    private final String sessionId;
    private final Setup setup;

    P2pLink(IcePeer peer, QuicChannel quic, P2pSignalling signalling, String sessionId, Setup setup) {
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
        byte[] request = Http1Response.getRequest(apiPath.startsWith("/") ? apiPath : "/" + apiPath, grant);
        QuicStreamInput stream;
        try {
            stream = QuicStreamInput.open(quic, request, STREAM_OPEN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while opening a P2P stream");
        }
        Http1Response response;
        try {
            response = Http1Response.read(stream);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
        return new Http1Response(response.status(), response.headers(), new FilterInputStream(response.body()) {
            @Override
            public void close() {
                stream.close(); // before the end, this tells the recorder to stop sending (STOP_SENDING)
            }
        });
    }

    @Override
    public void close() {
        quic.close().awaitUninterruptibly(1000); // CONNECTION_CLOSE out before the agent closes the socket
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
