package dev.outpost.wire.p2p;

import java.util.List;
import java.util.Objects;

/**
 * A recorder's answer to a {@link P2pOffer}.
 *
 * @param sessionId   names the session in later requests: 32 lowercase hex digits
 * @param credentials the recorder's ICE credentials
 * @param fingerprint SHA-256 of the recorder's QUIC certificate (64 lowercase hex digits): the viewer accepts only
 *                    that certificate on the selected pair
 * @param candidates  the recorder's candidates known so far; more follow by trickling
 */
public record P2pAnswer(String sessionId, IceCredentials credentials, String fingerprint,
                        List<IceCandidateView> candidates) {
    public P2pAnswer {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(credentials, "credentials");
        if (!sessionId.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("sessionId: not 32 lowercase hex digits");
        }
        fingerprint = P2pOffer.checkedFingerprint(fingerprint);
        candidates = P2pCandidates.checked(candidates);
    }
}
