package dev.outpost.wire.grant;

import dev.outpost.wire.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;

/**
 * Signs grants as compact JWS with EdDSA over Ed25519 (RFC 8037 section 3.1).
 * Thread-safe: a new {@link Signature} per call (they are cheap; sharing one needs locking).
 */
public final class GrantSigner {
    static final String ISSUER = "outpost-cloud";
    static final byte[] HEADER = Base64.getUrlEncoder().withoutPadding()
            .encode("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

    private final PrivateKey key;

    public GrantSigner(PrivateKey key) {
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("grants are signed with Ed25519, not " + key.getAlgorithm());
        }
        this.key = key;
    }

    public String sign(Grant grant) {
        GrantClaims claims = new GrantClaims(grant.id(), ISSUER, grant.userId(), grant.recorderId(),
                List.copyOf(grant.rights()), grant.issuedAt().getEpochSecond(), grant.expiresAt().getEpochSecond());
        byte[] payload = Base64.getUrlEncoder().withoutPadding().encode(Json.write(claims));
        byte[] signingInput = new byte[HEADER.length + 1 + payload.length];
        System.arraycopy(HEADER, 0, signingInput, 0, HEADER.length);
        signingInput[HEADER.length] = '.';
        System.arraycopy(payload, 0, signingInput, HEADER.length + 1, payload.length);
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(signingInput);
            String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
            return new String(signingInput, StandardCharsets.US_ASCII) + "." + sig;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
