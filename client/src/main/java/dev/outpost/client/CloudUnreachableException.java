package dev.outpost.client;

import java.net.URI;

/**
 * No answer came from the cloud: the connection was refused or timed out, the name did not resolve,
 * or TLS failed. The message names the URL and the reason.
 */
public sealed class CloudUnreachableException extends RuntimeException permits CertificateNotTrustedException {
    private final URI uri;

    public CloudUnreachableException(URI uri, String reason, Throwable cause) {
        super("cannot reach " + uri + ": " + reason, cause);
        this.uri = uri;
    }

    /** The URL that was tried. */
    public URI uri() {
        return uri;
    }
}
