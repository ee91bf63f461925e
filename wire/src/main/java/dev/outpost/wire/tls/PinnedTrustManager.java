package dev.outpost.wire.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint: how a recorder or a client
 * talks to a cloud whose self-signed certificate it learned at activation or login.
 */
public final class PinnedTrustManager extends ServerOnlyTrustManager {
    private final String fingerprint;

    public PinnedTrustManager(String fingerprint) {
        this.fingerprint = Fingerprint.normalize(fingerprint);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate");
        }
        String seen = Fingerprint.of(chain[0]);
        if (!seen.equals(fingerprint)) {
            throw new CertificateException("server certificate " + seen + " is not the pinned " + fingerprint
                    + " (a TLS-inspecting proxy, or the cloud changed its certificate)");
        }
    }

}
