package dev.outpost.wire.tls;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * For a first contact only (activation, first login): records the server certificate and whether the
 * platform's CAs trust it, and lets the handshake finish either way. The caller must then prove the
 * peer by other means (the activation proof bound to this certificate, or a fingerprint the user
 * confirmed) before it sends anything secret or pins the certificate.
 */
public final class ObservingTrustManager extends ServerOnlyTrustManager {
    private final X509ExtendedTrustManager platform;
    private volatile X509Certificate seen;
    private volatile boolean trustedByPlatform;

    public ObservingTrustManager() {
        this.platform = platformTrustManager();
    }

    /** The leaf certificate the server presented, once the handshake has run. */
    public Optional<X509Certificate> seen() {
        return Optional.ofNullable(seen);
    }

    /** Whether the platform's certificate authorities vouched for the server (hostname not checked here). */
    public boolean trustedByPlatform() {
        return trustedByPlatform;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("server sent no certificate");
        }
        seen = chain[0];
        try {
            platform.checkServerTrusted(chain, authType);
            trustedByPlatform = true;
        } catch (CertificateException e) {
            trustedByPlatform = false;
        }
    }

    static X509ExtendedTrustManager platformTrustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (var tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("no X509 trust manager in the platform");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("platform trust store unavailable", e);
        }
    }

    static X509TrustManager platform() {
        return platformTrustManager();
    }
}
