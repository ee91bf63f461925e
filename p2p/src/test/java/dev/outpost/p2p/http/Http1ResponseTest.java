package dev.outpost.p2p.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1ResponseTest {

    @Test
    void chunkedBodyIsDecodedEvenOneByteAtATime() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
        Http1Response response = Http1Response.read(oneByteAtATime(wire));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).contains("video/mp4");
        assertThat(new String(response.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    }

    @Test
    void contentLengthBodyStopsAtItsLength() throws IOException {
        Http1Response response = Http1Response.read(stream("HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnopeEXTRA"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body().readAllBytes()).isEqualTo("nope".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void malformedHeadsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> Http1Response.read(stream("HTTP/2 200\r\n\r\n"))).hasMessageContaining("status line");
        assertThatThrownBy(() -> Http1Response.read(stream("HTTP/1.1 200 OK\nX: y\r\n\r\n"))).hasMessageContaining("LF");
        assertThatThrownBy(() -> Http1Response.read(stream("HTTP/1.1 200 OK\r\nbroken\r\n\r\n")))
                .hasMessageContaining("malformed header");
        assertThatThrownBy(() -> Http1Response.read(stream("HTTP/1.1 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n")))
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> Http1Response.read(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
                .body().readAllBytes()).hasMessageContaining("chunk size");
        assertThatThrownBy(() -> Http1Response.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
                .body().readAllBytes()).hasMessageContaining("before the body's end");
    }

    @Test
    void requestHeadCarriesTheGrant() {
        assertThat(new String(Http1Response.getRequest("/api/cameras/c1/live.mp4?stream=sd", "G.R.ANT"),
                StandardCharsets.US_ASCII))
                .startsWith("GET /api/cameras/c1/live.mp4?stream=sd HTTP/1.1\r\n")
                .contains("Authorization: Bearer G.R.ANT\r\n").endsWith("\r\n\r\n");
        assertThatThrownBy(() -> Http1Response.getRequest("/a b", "g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Response.getRequest("/a", "g\r\nX: y")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static InputStream oneByteAtATime(String text) {
        return new FilterInputStream(stream(text)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }
}
