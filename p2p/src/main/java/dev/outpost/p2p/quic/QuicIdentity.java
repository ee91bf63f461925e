package dev.outpost.p2p.quic;

import dev.outpost.wire.tls.CertifiedKey;
import dev.outpost.wire.tls.Fingerprint;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;

/**
 * The recorder's QUIC certificate: self-signed ECDSA P-256, made when the recorder starts and never written to
 * disk. Nobody needs it to chain anywhere: its SHA-256 fingerprint goes to the viewer in the signalling answer
 * (which came through the cloud and the link, both TLS), and the viewer accepts this certificate and no other.
 */
public final class QuicIdentity {
    /** The one name in every P2P certificate; {@code .invalid} (RFC 2606) is never a real host. */
    static final String SERVER_NAME = "p2p.outpost.invalid";
    static final String ALIAS = "outpost-p2p";
    /** Only for the in-memory key store kwik reads the key from; it never leaves the process. */
    static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    private final KeyStore keyStore;
    private final String fingerprint;

    private QuicIdentity(KeyStore keyStore, String fingerprint) {
        this.keyStore = keyStore;
        this.fingerprint = fingerprint;
    }

    public static QuicIdentity generate() {
        CertifiedKey key = CertifiedKey.selfSigned(SERVER_NAME, List.of(SERVER_NAME), Duration.ofDays(30));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key.privateKey(), STORE_PASSWORD, new Certificate[] {key.certificate()});
            return new QuicIdentity(store, Fingerprint.of(key.certificate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot keep the QUIC key in memory", e);
        }
    }

    /** SHA-256 of the certificate, 64 lowercase hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    KeyStore keyStore() {
        return keyStore;
    }
}
