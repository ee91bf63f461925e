package dev.outpost.recorder.identity;

import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.PinnedTrustManager;
import dev.outpost.wire.tls.TlsProvider;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the recorder checks the cloud's TLS certificate on the link and on any later HTTPS call,
 * decided at activation: exactly the pinned certificate, or what certificate authorities vouch for
 * (the platform's, or those of a configured PEM file, for example a site's TLS-inspecting proxy).
 *
 * <p>Hostname checks: JSSE leaves endpoint identification to a trust manager that extends
 * {@link X509ExtendedTrustManager}. The pinned one ignores names (the fingerprint says more than a
 * name could); the certificate-authority one is the JDK's own, which checks the name whenever the
 * TLS engine asks for {@code HTTPS} identification, as {@link #nettyClient()} and java.net.http do.
 */
public final class CloudTrust {
    private final X509ExtendedTrustManager trustManager;
    private final boolean pinned;
    private final String description;

    private CloudTrust(X509ExtendedTrustManager trustManager, boolean pinned, String description) {
        this.trustManager = trustManager;
        this.pinned = pinned;
        this.description = description;
    }

    /** Trust as the identity says, with the platform's certificate authorities for {@code pki}. */
    public static CloudTrust of(RecorderIdentity identity) {
        return identity.pinnedFingerprint()
                .map(CloudTrust::pinned)
                .orElseGet(CloudTrust::platform);
    }

    /**
     * Trust as the identity says, with the certificate authorities of {@code caPemFile} instead of the
     * platform's when one is configured (it replaces them; it does not add to them).
     */
    public static CloudTrust of(RecorderIdentity identity, Optional<Path> caPemFile) throws IOException {
        if (identity.pinnedFingerprint().isPresent() || caPemFile.isEmpty()) {
            return of(identity);
        }
        return authorities(caPemFile.get());
    }

    public static CloudTrust pinned(String fingerprint) {
        return new CloudTrust(new PinnedTrustManager(fingerprint), true, "pinned certificate " + fingerprint);
    }

    public static CloudTrust platform() {
        return new CloudTrust(fromFactory(null), false, "the platform's certificate authorities");
    }

    public static CloudTrust authorities(Path caPemFile) throws IOException {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.readCertificates(caPemFile);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot read certificate authorities from " + caPemFile + ": " + e.getMessage(), e);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return new CloudTrust(fromFactory(store), false, "the certificate authorities in " + caPemFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the certificates in " + caPemFile + " as authorities: " + e.getMessage(), e);
        }
    }

    /** For Netty ({@code SslContextBuilder.trustManager}) or any other TLS engine. */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** A client {@code SSLContext} with this trust and no client certificate, for java.net.http. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS unavailable", e);
        }
    }

    /**
     * A Netty client TLS context builder with this trust; the caller adds ALPN and builds it, and must
     * create handlers with {@code newHandler(alloc, host, port)} so SNI and the name check see the host.
     */
    public SslContextBuilder nettyClient() {
        return SslContextBuilder.forClient()
                .sslProvider(TlsProvider.netty())
                .trustManager(trustManager)
                .endpointIdentificationAlgorithm(pinned ? null : "HTTPS");
    }

    public boolean pinned() {
        return pinned;
    }

    @Override
    public String toString() {
        return "CloudTrust[" + description + "]";
    }

    private static X509ExtendedTrustManager fromFactory(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("the platform has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform's trust store is unavailable: " + e.getMessage(), e);
        }
    }
}
