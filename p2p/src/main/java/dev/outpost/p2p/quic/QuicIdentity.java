package dev.outpost.p2p.quic;

import dev.outpost.wire.tls.CertifiedKey;
import dev.outpost.wire.tls.Fingerprint;
import java.time.Duration;
import java.util.List;

/**
 * One side's QUIC certificate, recorder or viewer: self-signed ECDSA P-256, made in memory and never written to disk.
 * Nobody needs it to chain anywhere: its SHA-256 fingerprint goes to the other side in signalling (the viewer's in
 * the offer, the recorder's in the answer, both through the cloud's TLS and the link's), and each side accepts that
 * one certificate and no other in the QUIC handshake (TLS 1.3 with a client certificate, RFC 8446 section 4.4.2).
 */
public final class QuicIdentity {
    /** The one name in every P2P certificate; {@code .invalid} (RFC 2606) is never a real host. */
    static final String NAME = "p2p.outpost.invalid";

    private final CertifiedKey key;
    private final String fingerprint;

    private QuicIdentity(CertifiedKey key) {
        this.key = key;
        this.fingerprint = Fingerprint.of(key.certificate());
    }

    public static QuicIdentity generate() {
        return new QuicIdentity(CertifiedKey.selfSigned(NAME, List.of(NAME), Duration.ofDays(30)));
    }

    /** SHA-256 of the certificate, 64 lowercase hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    CertifiedKey key() {
        return key;
    }
}
