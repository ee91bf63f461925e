package dev.outpost.wire.p2p;

import java.util.Objects;

/**
 * A peer's ICE short-term credentials (RFC 8445 section 5.3): the other peer's connectivity checks must carry
 * them (STUN USERNAME and MESSAGE-INTEGRITY), so only the peer that got them through signalling can pass.
 *
 * @param ufrag    4-256 ice-chars
 * @param password 22-256 ice-chars
 */
public record IceCredentials(String ufrag, String password) {
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        // RFC 8839 section 5.4: ice-ufrag 4-256 ice-chars, ice-pwd 22-256 ice-chars
        if (!ufrag.matches("[A-Za-z0-9+/]{4,256}")) {
            throw new IllegalArgumentException("ufrag: '" + IceCandidateView.clip(ufrag) + "' is not 4-256 ice-chars");
        }
        if (!password.matches("[A-Za-z0-9+/]{22,256}")) {
            throw new IllegalArgumentException("password: not 22-256 ice-chars");
        }
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]"; // the password is a secret
    }
}
