package dev.outpost.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A recorder's answer through the relay, as it streams in: status and headers have arrived, the body
 * has not (live video never ends). Close it, or its body, to stop reading; that resets its
 * HTTP/2 stream (or closes its HTTP/1.1 connection), which tells the cloud and the recorder to stop sending.
 */
public final class RelayResponse implements AutoCloseable {
    /** How much of an error body is read to explain the error; the rest is dropped. */
    static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final String method;
    private final URI uri;
    private final String protocol;
    private final int status;
    private final HttpHeaders headers;
    private final InputStream body;

    RelayResponse(String method, URI uri, String protocol, int status, HttpHeaders headers, InputStream body) {
        this.method = method;
        this.uri = uri;
        this.protocol = protocol;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** The relay URL that was requested. */
    public URI uri() {
        return uri;
    }

    /** {@code HTTP/2}, or {@code HTTP/1.1} when the cloud (or a proxy on the way) did not offer HTTP/2. */
    public String protocol() {
        return protocol;
    }

    public int status() {
        return status;
    }

    /** Whether the status is 2xx. */
    public boolean successful() {
        return status >= 200 && status < 300;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public Optional<String> contentType() {
        return headers.firstValue("Content-Type");
    }

    /** Empty for a chunked (open-ended) body. */
    public OptionalLong contentLength() {
        return headers.firstValueAsLong("Content-Length");
    }

    /** The body as it arrives; reads block until the recorder sends more. */
    public InputStream body() {
        return body;
    }

    /**
     * Returns this response if it is 2xx. Otherwise reads the start of the body (the error from the
     * cloud, e.g. 502 {@code recorder-offline}, or from the recorder), closes the response and throws.
     *
     * @throws OutpostException if the status is not 2xx
     */
    public RelayResponse requireSuccess() {
        if (successful()) {
            return this;
        }
        byte[] start;
        try (InputStream in = body) {
            start = in.readNBytes(ERROR_BODY_LIMIT);
        } catch (IOException e) {
            start = new byte[0]; // the status alone still says what went wrong
        }
        throw OutpostException.fromAnswer(method, uri, status, headers, start);
    }

    /** Stops reading; the connection is closed rather than drained, so this returns at once. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the response from " + uri, e);
        }
    }

    @Override
    public String toString() {
        return "RelayResponse[" + method + " " + uri + " -> " + status + "]";
    }
}
