package dev.outpost.p2p.quic;

import dev.outpost.wire.tls.PinnedTrustManager;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.log.NullLogger;

/**
 * The viewer's side of QUIC on the socket ICE selected: dials the recorder's address on the selected pair and
 * accepts only the certificate with the fingerprint from signalling; then pings every
 * {@value #KEEPALIVE_SECONDS} s, within the recorder's idle timeout and well under the 25 s or so after which
 * NATs forget an idle UDP mapping (RFC 4787 REQ-5 asks for at least 2 minutes; many keep 30 s).
 */
public final class QuicDialer {
    static final int KEEPALIVE_SECONDS = 10;

    private QuicDialer() {
    }

    /**
     * @param socket      the ICE component's socket (kwik sends and receives on it; it is not closed here)
     * @param remote      the recorder's address on the selected pair
     * @param fingerprint the recorder's certificate fingerprint from the signalling answer
     * @param timeout     for the handshake
     */
    public static QuicClientConnection dial(DatagramSocket socket, InetSocketAddress remote, String fingerprint,
                                            Duration timeout) throws IOException {
        QuicClientConnection connection = QuicClientConnection.newBuilder()
                // The certificate's name for TLS (SNI and the name check); the address to send to is the peer's
                // on the selected pair, which kwik calls the proxy, so no name is ever looked up.
                .host(QuicIdentity.SERVER_NAME)
                .port(remote.getPort())
                .proxy(remote.getAddress().getHostAddress())
                .applicationProtocol(QuicListener.ALPN)
                .customTrustManager(new PinnedTrustManager(fingerprint))
                .socketFactory(destination -> socket)
                .connectTimeout(timeout)
                .maxIdleTimeout(Duration.ofSeconds(QuicListener.IDLE_TIMEOUT_SECONDS))
                .defaultStreamReceiveBufferSize(1024L * 1024)
                .logger(new NullLogger())
                .build();
        connection.connect();
        connection.keepAlive(KEEPALIVE_SECONDS);
        return connection;
    }
}
