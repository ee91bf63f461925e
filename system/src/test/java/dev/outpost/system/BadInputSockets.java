package dev.outpost.system;

import dev.outpost.client.CloudTrust;
import dev.outpost.cloud.CloudServer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Raw connections to the cloud's one port, for tests that send what no well-behaved client would:
 * plain TCP, TLS with a chosen ALPN name (the cloud's certificate pinned by its fingerprint), and a
 * small HTTP/1.1 reader that does not mind the server closing right after its answer.
 */
final class BadInputSockets {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private BadInputSockets() {
    }

    /** What came back: the status, headers by lowercase name, and the body read by its length or to the end. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Socket plain(CloudServer cloud) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", cloud.port()), 5_000);
        return socket;
    }

    /** A TLS connection that offered only {@code alpn}, handshake done; the cloud's certificate is pinned. */
    static SSLSocket tls(CloudServer cloud, String alpn) throws IOException {
        SSLSocket socket = (SSLSocket) CloudTrust.pinned(cloud.certificateFingerprint()).sslContext()
                .getSocketFactory().createSocket();
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {alpn});
        socket.setSSLParameters(parameters);
        socket.connect(new InetSocketAddress("127.0.0.1", cloud.port()), 5_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** A java.net.http client that trusts the cloud's certificate, for requests OutpostClient cannot make. */
    static HttpClient http(CloudServer cloud) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(CloudTrust.pinned(cloud.certificateFingerprint()).sslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Sends {@code request} as is on a new HTTP/1.1 TLS connection and reads one answer. */
    static Answer exchange(CloudServer cloud, String request) throws IOException {
        try (SSLSocket socket = tls(cloud, "http/1.1")) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads one HTTP/1.1 answer: head, then a Content-Length body, a chunked body, or everything to the end. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!endsWithBlankLine(head)) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed after " + head.size() + " bytes of head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("answer head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the connection closed inside a chunked body");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        return n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
    }

    /**
     * Reads and discards until the peer closes the connection (end of stream, or a reset), and says
     * whether that happened within {@code deadline}; the socket's read timeout is changed.
     */
    static boolean closedByPeerWithin(Socket socket, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        byte[] sink = new byte[4096];
        while (true) {
            long left = Duration.ofNanos(end - System.nanoTime()).toMillis();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset, or a TLS alert: closed either way
            }
        }
    }
}
