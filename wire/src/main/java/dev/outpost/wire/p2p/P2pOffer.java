package dev.outpost.wire.p2p;

import java.util.List;
import java.util.Objects;

/**
 * {@code POST /api/p2p/sessions} (through the relay): a viewer asks a recorder for a peer-to-peer session.
 *
 * @param credentials the viewer's ICE credentials
 * @param candidates  the viewer's candidates known so far (its host candidates); more follow by trickling
 */
public record P2pOffer(IceCredentials credentials, List<IceCandidateView> candidates) {
    /** At most this many candidates in one message: a peer has a few addresses, not hundreds. */
    public static final int MAX_CANDIDATES = 16;

    public P2pOffer {
        Objects.requireNonNull(credentials, "credentials");
        candidates = P2pCandidates.checked(candidates);
    }
}
