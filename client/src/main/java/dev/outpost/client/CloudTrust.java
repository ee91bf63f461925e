package dev.outpost.client;

import dev.outpost.wire.tls.Fingerprint;
import dev.outpost.wire.tls.PinnedTrustManager;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * How the client decides that it talks to the real cloud: the platform's certificate authorities
 * (a cloud with a public certificate), or one certificate pinned by its SHA-256 fingerprint (a
 * self-signed cloud, perhaps reached by IP address).
 *
 * <p>Why a pinned certificate is not also checked against the host name: the JDK checks host names
 * (endpoint identification, RFC 2818 section 3.1) only inside its own trust manager, or in the wrapper
 * it puts around a plain {@code X509TrustManager}. {@code java.net.http.HttpClient} asks for it by
 * setting the endpoint identification algorithm "HTTPS" on the engine, and the JSSE then hands the
 * engine to {@code X509ExtendedTrustManager.checkServerTrusted(chain, authType, engine)}; an extended
 * trust manager that does its own check (here {@link PinnedTrustManager}: the leaf certificate must
 * be exactly the pinned one) is trusted to have done all of it. So no system property
 * ({@code jdk.internal.httpclient.disableHostnameVerification}) and no global switch is needed, and
 * platform trust keeps its host name check. CloudTrustTest shows both halves.
 */
public final class CloudTrust {
    private static final CloudTrust PLATFORM = new CloudTrust(Optional.empty());

    private final Optional<String> pinnedFingerprint;

    private CloudTrust(Optional<String> pinnedFingerprint) {
        this.pinnedFingerprint = pinnedFingerprint;
    }

    /** Trust what the platform's certificate authorities trust, for the host name in the URL. */
    public static CloudTrust platform() {
        return PLATFORM;
    }

    /**
     * Trust exactly the certificate with this SHA-256 fingerprint, whatever names it carries.
     *
     * @param fingerprint 64 hex digits, with or without colons, any case, optional "sha256:" prefix
     * @throws IllegalArgumentException if it is not a SHA-256 fingerprint
     */
    public static CloudTrust pinned(String fingerprint) {
        return new CloudTrust(Optional.of(Fingerprint.normalize(fingerprint)));
    }

    /** Platform trust when empty, the pinned certificate otherwise. */
    public static CloudTrust of(Optional<String> pinnedFingerprint) {
        return pinnedFingerprint.map(CloudTrust::pinned).orElse(PLATFORM);
    }

    /** The pinned certificate's fingerprint as lowercase hex, empty for platform trust. */
    public Optional<String> pinnedFingerprint() {
        return pinnedFingerprint;
    }

    /** A new TLS context that applies this trust (no client certificate). */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trustManagers = pinnedFingerprint
                    .map(fingerprint -> new TrustManager[] {new PinnedTrustManager(fingerprint)})
                    .orElse(null); // null: the platform's default trust managers
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudTrust other && pinnedFingerprint.equals(other.pinnedFingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(pinnedFingerprint);
    }

    @Override
    public String toString() {
        return pinnedFingerprint.map(f -> "pinned certificate sha256:" + f).orElse("platform certificate authorities");
    }
}
