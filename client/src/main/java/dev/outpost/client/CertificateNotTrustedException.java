package dev.outpost.client;

import dev.outpost.wire.tls.Fingerprint;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * TLS failed because the cloud's certificate is not trusted: not vouched for by the platform's
 * certificate authorities (a self-signed cloud), not issued for the host name used, or not the pinned
 * one. Carries the certificate that was seen so the user can compare its fingerprint with the one
 * the cloud printed and pin it ({@link CloudTrust#pinned}).
 */
public final class CertificateNotTrustedException extends CloudUnreachableException {
    private final X509Certificate certificate;
    private final String fingerprint;
    private final Optional<String> pinnedFingerprint;

    public CertificateNotTrustedException(URI uri, X509Certificate certificate, Optional<String> pinnedFingerprint,
                                          String detail, Throwable cause) {
        super(uri, describe(certificate, pinnedFingerprint, detail), cause);
        this.certificate = certificate;
        this.fingerprint = Fingerprint.of(certificate);
        this.pinnedFingerprint = pinnedFingerprint;
    }

    /** The certificate the server presented. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Its SHA-256 fingerprint, lowercase hex: what to pin if it is the right one. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The fingerprint that was expected, if a certificate was pinned. */
    public Optional<String> pinnedFingerprint() {
        return pinnedFingerprint;
    }

    private static String describe(X509Certificate certificate, Optional<String> pinned, String detail) {
        String seen = Fingerprint.of(certificate);
        if (pinned.isPresent()) {
            return "the cloud's certificate (SHA-256 fingerprint " + seen + ") is not the pinned one ("
                    + pinned.get() + "). Either the cloud's certificate was replaced, or something between"
                    + " you and the cloud (a TLS-inspecting proxy) answers in its place; trust the new"
                    + " certificate only if the cloud's operator confirms this fingerprint";
        }
        return "the cloud's TLS certificate is not trusted (" + detail + "). Its SHA-256 fingerprint is "
                + seen + " (subject " + certificate.getSubjectX500Principal().getName()
                + "); if the cloud printed the same fingerprint when it started, pin it";
    }
}
