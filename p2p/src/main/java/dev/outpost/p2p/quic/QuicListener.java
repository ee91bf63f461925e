package dev.outpost.p2p.quic;

import java.io.IOException;
import java.net.DatagramSocket;
import java.security.cert.CertificateException;
import java.util.function.Consumer;
import tech.kwik.core.QuicStream;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/**
 * The recorder's side of QUIC on one P2P session's socket: accepts the viewer's connection (ALPN
 * {@value #ALPN}) and hands each stream the viewer opens to {@code streams}, on a virtual thread of its own (kwik
 * calls from its receiver thread, which must not block).
 */
public final class QuicListener implements AutoCloseable {
    /** The application protocol: one HTTP/1.1 exchange per bidirectional stream. */
    public static final String ALPN = "outpost-p2p/1";
    /** Streams a viewer may have open at once on one connection. */
    static final int MAX_STREAMS = 8;
    /** A connection silent this long is closed (RFC 9000 section 10.1); the viewer pings well within it. */
    static final int IDLE_TIMEOUT_SECONDS = 30;

    private final ServerConnector connector;

    public QuicListener(DatagramSocket socket, QuicIdentity identity, Consumer<QuicStream> streams)
            throws IOException {
        ServerConnectionConfig config = ServerConnectionConfig.builder()
                .maxIdleTimeoutInSeconds(IDLE_TIMEOUT_SECONDS)
                .maxOpenPeerInitiatedBidirectionalStreams(MAX_STREAMS)
                .maxOpenPeerInitiatedUnidirectionalStreams(0)
                .maxConnectionBufferSize(4 * 1024 * 1024)
                .maxBidirectionalStreamBufferSize(1024 * 1024)
                .maxUnidirectionalStreamBufferSize(0)
                .build();
        try {
            connector = ServerConnector.builder()
                    .withSocket(socket)
                    .withKeyStore(identity.keyStore(), QuicIdentity.ALIAS, QuicIdentity.STORE_PASSWORD, "secp256r1")
                    .withConfiguration(config)
                    .withLogger(new NullLogger())
                    .build();
        } catch (CertificateException e) {
            throw new IOException("kwik refused the QUIC certificate: " + e.getMessage(), e);
        }
        connector.registerApplicationProtocol(ALPN, (protocol, connection) -> new ApplicationProtocolConnection() {
            @Override
            public void acceptPeerInitiatedStream(QuicStream stream) {
                Thread.ofVirtual().name("p2p-stream-" + stream.getStreamId()).start(() -> streams.accept(stream));
            }
        });
        connector.start();
    }

    @Override
    public void close() {
        connector.close();
    }
}
