package dev.outpost.recorder.cameras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A camera that speaks just enough RTSP over a plain socket to be played (DESCRIBE, SETUP for interleaved
 * TCP, PLAY, and 200 to anything else) and then sends whatever bytes the test gives it: for what a real
 * camera never sends on purpose.
 */
final class FakeRtspCamera implements AutoCloseable {
    private static final Pattern CSEQ = Pattern.compile("(?im)^CSeq:\\s*(\\d+)");

    private final ServerSocket server;
    private final String sdp;
    private final byte[] afterPlay;
    private final CopyOnWriteArrayList<Socket> clients = new CopyOnWriteArrayList<>();
    final AtomicInteger plays = new AtomicInteger();

    /**
     * @param sdp       the answer to DESCRIBE
     * @param afterPlay written right after the answer to PLAY
     */
    FakeRtspCamera(String sdp, byte[] afterPlay) throws IOException {
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.sdp = sdp;
        this.afterPlay = afterPlay.clone();
        Thread.ofVirtual().name("fake-rtsp-camera").start(this::accept);
    }

    URI url() {
        return URI.create("rtsp://127.0.0.1:" + server.getLocalPort() + "/main");
    }

    /** An SDP announcing one video track of payload type 96 with this encoding and fmtp. */
    static String sdp(String encoding, String fmtp) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=fake\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\n"
                + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 " + encoding + "/90000\r\n"
                + (fmtp.isEmpty() ? "" : "a=fmtp:96 " + fmtp + "\r\n") + "a=control:trackID=0\r\n";
    }

    /** One interleaved frame (RFC 2326 section 10.12) on {@code channel} holding {@code payload}. */
    static byte[] interleaved(int channel, byte[] payload) {
        byte[] frame = new byte[4 + payload.length];
        frame[0] = '$';
        frame[1] = (byte) channel;
        frame[2] = (byte) (payload.length >> 8);
        frame[3] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return frame;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket client : clients) {
            client.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                clients.add(client);
                Thread.ofVirtual().name("fake-rtsp-client").start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            String request;
            while ((request = readHead(in)) != null) {
                Matcher cseq = CSEQ.matcher(request);
                String number = cseq.find() ? cseq.group(1) : "0";
                String method = request.substring(0, request.indexOf(' '));
                switch (method) {
                    case "DESCRIBE" -> answer(out, number, Map.of("Content-Type", "application/sdp",
                            "Content-Base", url() + "/"), sdp);
                    case "SETUP" -> answer(out, number, Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1",
                            "Session", "12345678;timeout=60"), "");
                    case "PLAY" -> {
                        answer(out, number, Map.of("Session", "12345678"), "");
                        out.write(afterPlay);
                        out.flush();
                        plays.incrementAndGet();
                    }
                    default -> answer(out, number, Map.of("Session", "12345678"), "");
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away
        }
    }

    private static void answer(OutputStream out, String cseq, Map<String, String> headers, String body)
            throws IOException {
        StringBuilder response = new StringBuilder("RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\n");
        headers.forEach((name, value) -> response.append(name).append(": ").append(value).append("\r\n"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** A request's head, up to its blank line; null at the end of the stream. Requests here have no body. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] so = head.toByteArray();
            int n = so.length;
            if (n >= 4 && so[n - 4] == '\r' && so[n - 3] == '\n' && so[n - 2] == '\r' && so[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (n > 16 * 1024) {
                throw new IOException("request head too long");
            }
        }
        return null;
    }
}
