package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud that stops closes every connection it accepted, whatever each was: a viewer's idle HTTPS connection, one
 * that has not said what it is yet, and a link not yet registered. Its peers learn at once; none is left holding a
 * connection nobody serves (a recorder would only find out by its heartbeat, up to a minute later).
 */
class CloudShutdownTest {
    @Test
    void stoppingTheCloudClosesEveryConnectionItAccepted(@TempDir Path dir) throws Exception {
        Site site = Site.start(dir);
        try (SSLSocket viewer = BadInputSockets.tls(site.cloud(), "http/1.1");
             SSLSocket h2 = BadInputSockets.tls(site.cloud(), "h2");
             SSLSocket link = BadInputSockets.tls(site.cloud(), "outpost-link/1")) {
            site.close();
            for (SSLSocket socket : List.of(viewer, h2, link)) {
                assertThat(endOf(socket)).as("what the peer of an accepted %s connection reads after the stop",
                        socket.getApplicationProtocol()).isEqualTo("closed");
            }
        }
    }

    /** Reads until the connection ends (within the socket's 10 s timeout): "closed" when it does. */
    private static String endOf(SSLSocket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // whatever the cloud still sent (a GOAWAY, a settings frame)
            }
            return "closed";
        } catch (java.net.SocketTimeoutException e) {
            return "still open after " + e.getMessage();
        } catch (IOException e) {
            return "closed"; // a reset, or TLS ended without close_notify: closed all the same
        }
    }
}
