package dev.outpost.wire.p2p;

import java.util.List;

/**
 * Trickled candidates (RFC 8838): {@code POST /api/p2p/sessions/{id}/candidates} from the viewer, and the answer
 * to {@code GET} the same from the recorder.
 *
 * @param candidates candidates not sent before
 * @param complete   whether the sender has gathered all its candidates (RFC 8838 section 13, end-of-candidates)
 */
public record P2pCandidates(List<IceCandidateView> candidates, boolean complete) {
    public P2pCandidates {
        candidates = checked(candidates);
    }

    static List<IceCandidateView> checked(List<IceCandidateView> candidates) {
        if (candidates == null) {
            return List.of();
        }
        if (candidates.size() > P2pOffer.MAX_CANDIDATES) {
            throw new IllegalArgumentException("candidates: " + candidates.size() + " is more than "
                    + P2pOffer.MAX_CANDIDATES);
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == null) {
                throw new IllegalArgumentException("candidates[" + i + "]: missing");
            }
        }
        return List.copyOf(candidates);
    }
}
