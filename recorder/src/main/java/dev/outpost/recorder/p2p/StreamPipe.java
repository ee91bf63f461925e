package dev.outpost.recorder.p2p;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import tech.kwik.core.QuicStream;

/**
 * Carries one QUIC stream to the recorder's router: bytes from the viewer go to a TCP connection to the
 * loopback-only HTTP port (where {@code HttpServerCodec} and the router read them, grant check and all), and
 * the answer comes back. Two blocking copies on virtual threads; TCP's window and QUIC's flow control carry
 * backpressure both ways, so a slow viewer slows the router's writes (the live writer then drops to the next
 * keyframe as it does for any slow connection) and nothing is buffered without bound here.
 */
final class StreamPipe {
    private static final int BUFFER = 16 * 1024;

    private StreamPipe() {
    }

    /** Serves {@code stream} until either side ends; on the calling (virtual) thread. */
    static void serve(QuicStream stream, InetSocketAddress router, Runnable onEnd) {
        try (Socket socket = new Socket()) {
            socket.connect(router, 2000);
            socket.setTcpNoDelay(true);
            InputStream fromViewer = stream.getInputStream();
            OutputStream toViewer = stream.getOutputStream();
            Thread upstream = Thread.ofVirtual().name("p2p-up-" + stream.getStreamId()).start(() -> {
                try {
                    // The viewer ending its side (after its request) is not passed on as a TCP half-close: the
                    // router's channel would close on it, ending an answer still streaming (live video).
                    copy(fromViewer, socket.getOutputStream());
                } catch (IOException e) {
                    closeQuietly(socket);
                }
            });
            try {
                copy(socket.getInputStream(), toViewer);
                toViewer.close();
            } catch (IOException e) {
                stream.resetStream(0); // the viewer went, or the router closed: stop both ways
            } finally {
                upstream.interrupt();
                closeQuietly(socket);
            }
        } catch (IOException e) {
            stream.resetStream(0);
        } finally {
            onEnd.run();
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
