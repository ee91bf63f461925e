package dev.outpost.recorder.identity;

import dev.outpost.wire.tls.ObservingTrustManager;
import dev.outpost.wire.tls.ServerOnlyTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of an activation's first contact: lets any handshake finish while an
 * {@link ObservingTrustManager} records the certificate, and also asks the certificate authorities
 * whether they vouch for it <em>for this host name</em>.
 *
 * <p>Why a trust manager and not a setting: java.net.http always asks its TLS engine for
 * {@code HTTPS} endpoint identification, and the only switch to turn that off
 * ({@code jdk.internal.httpclient.disableHostnameVerification}) is a system property that would weaken
 * every other client in the process. JSSE leaves that identification to a trust manager that extends
 * {@link X509ExtendedTrustManager}, so this one decides: a self-signed cloud (to be pinned) passes
 * whatever its name, and the {@code pki} binding is only chosen when the authorities' own check,
 * given the engine and so the host name, passes. A publicly trusted certificate for another name
 * must not count as the cloud's.
 */
final class FirstContactTrustManager extends ServerOnlyTrustManager {
    private final ObservingTrustManager observer = new ObservingTrustManager();
    private final X509ExtendedTrustManager authorities;
    private volatile boolean vouchedForHost;

    FirstContactTrustManager(X509ExtendedTrustManager authorities) {
        this.authorities = authorities;
    }

    /** The leaf certificate the server presented in the latest full handshake. */
    Optional<X509Certificate> seen() {
        return observer.seen();
    }

    /** Whether the certificate authorities vouched for that certificate and the host name it was reached by. */
    boolean vouchedForHost() {
        return vouchedForHost;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        observer.checkServerTrusted(chain, authType, engine);
        try {
            authorities.checkServerTrusted(chain, authType, engine);
            vouchedForHost = engine != null && hostChecked(engine.getSSLParameters().getEndpointIdentificationAlgorithm());
        } catch (CertificateException e) {
            vouchedForHost = false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        observer.checkServerTrusted(chain, authType, socket);
        try {
            authorities.checkServerTrusted(chain, authType, socket);
            vouchedForHost = socket instanceof javax.net.ssl.SSLSocket ssl
                    && hostChecked(ssl.getSSLParameters().getEndpointIdentificationAlgorithm());
        } catch (CertificateException e) {
            vouchedForHost = false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // No engine, so no host name to check it against: never enough for the pki binding.
        observer.checkServerTrusted(chain, authType);
        vouchedForHost = false;
    }

    private static boolean hostChecked(String algorithm) {
        return "HTTPS".equalsIgnoreCase(algorithm);
    }
}
