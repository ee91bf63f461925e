package dev.outpost.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.p2p.http.Http1Response;
import dev.outpost.p2p.ice.IcePeer;
import dev.outpost.p2p.quic.QuicDialer;
import dev.outpost.p2p.quic.QuicIdentity;
import dev.outpost.p2p.quic.QuicListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.QuicStream;

/** Two ICE peers on this machine find each other, and QUIC runs on the selected pair with the pinned certificate. */
class IceQuicTest {

    @Test
    void viewerReadsAnHttpAnswerOverQuicOnTheSelectedPair() throws Exception {
        QuicIdentity identity = QuicIdentity.generate();
        try (IcePeer viewer = new IcePeer(true, Optional.empty());
             IcePeer recorder = new IcePeer(false, Optional.empty())) {
            connect(viewer, recorder);
            IcePeer.Selection recorderSide = recorder.selected().get(10, TimeUnit.SECONDS);
            IcePeer.Selection viewerSide = viewer.selected().get(10, TimeUnit.SECONDS);
            assertThat(viewerSide.remote().getPort()).isEqualTo(recorderSide.local().getPort());

            byte[] body = new byte[3 * 1024 * 1024];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 31 + (i >> 8));
            }
            try (QuicListener listener = new QuicListener(recorderSide.socket(), identity, stream -> answer(stream, body))) {
                QuicClientConnection quic = QuicDialer.dial(viewerSide.socket(), viewerSide.remote(),
                        identity.fingerprint(), Duration.ofSeconds(10));
                QuicStream stream = quic.createStream(true);
                Http1Response.writeGet(stream.getOutputStream(), "/api/test", "GRANT");
                Http1Response response = Http1Response.read(stream.getInputStream());
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body().readAllBytes()).isEqualTo(body);
                quic.close();
            }
        }
    }

    @Test
    void viewerRefusesAnotherCertificate() throws Exception {
        QuicIdentity identity = QuicIdentity.generate();
        QuicIdentity other = QuicIdentity.generate();
        try (IcePeer viewer = new IcePeer(true, Optional.empty());
             IcePeer recorder = new IcePeer(false, Optional.empty())) {
            connect(viewer, recorder);
            IcePeer.Selection recorderSide = recorder.selected().get(10, TimeUnit.SECONDS);
            IcePeer.Selection viewerSide = viewer.selected().get(10, TimeUnit.SECONDS);
            try (QuicListener listener = new QuicListener(recorderSide.socket(), identity, stream -> answer(stream, new byte[0]))) {
                assertThatThrownBy(() -> QuicDialer.dial(viewerSide.socket(), viewerSide.remote(),
                        other.fingerprint(), Duration.ofSeconds(5))).isInstanceOf(IOException.class);
            }
        }
    }

    private static void connect(IcePeer viewer, IcePeer recorder) {
        viewer.remoteCredentials(recorder.localCredentials());
        recorder.remoteCredentials(viewer.localCredentials());
        viewer.addRemote(recorder.hostCandidates());
        recorder.addRemote(viewer.hostCandidates());
        recorder.start();
        viewer.start();
    }

    /** A chunked answer, as the recorder's router gives for a stream of unknown length. */
    private static void answer(QuicStream stream, byte[] body) {
        try (InputStream in = stream.getInputStream(); OutputStream out = stream.getOutputStream()) {
            while (in.read() != '\n' || in.read() != '\r') {
                // skip the head up to its empty line (CRLF CRLF)
            }
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int offset = 0; offset < body.length; offset += 100_000) {
                int n = Math.min(100_000, body.length - offset);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, offset, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the viewer went away
        }
    }
}
