package dev.outpost.wire.p2p;

import java.util.List;
import java.util.Objects;

/**
 * {@code POST /api/p2p/sessions} (through the relay): a viewer asks a recorder for a peer-to-peer session.
 *
 * @param credentials the viewer's ICE credentials
 * @param fingerprint SHA-256 of the viewer's QUIC certificate (64 lowercase hex digits): the recorder accepts only
 *                    that client certificate on the selected pair
 * @param candidates  the viewer's candidates known so far (its host candidates); more follow by trickling
 */
public record P2pOffer(IceCredentials credentials, String fingerprint, List<IceCandidateView> candidates) {
    /** At most this many candidates in one message: a peer has a few addresses, not hundreds. */
    public static final int MAX_CANDIDATES = 16;

    public P2pOffer {
        Objects.requireNonNull(credentials, "credentials");
        fingerprint = checkedFingerprint(fingerprint);
        candidates = P2pCandidates.checked(candidates);
    }

    /** A certificate's SHA-256 as signalling carries it: 64 lowercase hex digits. */
    static String checkedFingerprint(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint: not a SHA-256 fingerprint (64 lowercase hex digits)");
        }
        return fingerprint;
    }
}
