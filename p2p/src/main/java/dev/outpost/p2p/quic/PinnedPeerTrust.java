package dev.outpost.p2p.quic;

import dev.outpost.wire.tls.Fingerprint;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one peer certificate, named by the SHA-256 fingerprint that came in signalling, whichever side the
 * peer is on: the viewer pins the recorder's (from the answer), the recorder the viewer's (from the offer). Nothing
 * chains anywhere; the fingerprint came over the cloud's TLS and the link's, so it is the whole of the trust.
 */
final class PinnedPeerTrust extends X509ExtendedTrustManager {
    private final String fingerprint;

    PinnedPeerTrust(String fingerprint) {
        this.fingerprint = Fingerprint.normalize(fingerprint);
    }

    private void check(X509Certificate[] chain, String side) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the " + side + " sent no certificate");
        }
        String seen = Fingerprint.of(chain[0]);
        if (!seen.equals(fingerprint)) {
            throw new CertificateException("the " + side + "'s certificate " + seen
                    + " is not the one named in signalling (" + fingerprint + ")");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "viewer");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "recorder");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, "viewer");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, "viewer");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, "recorder");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, "recorder");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
