package dev.outpost.wire.grant;

import dev.outpost.wire.grant.GrantException.Reason;
import dev.outpost.wire.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * Checks a grant presented to a recorder: EdDSA signature by the cloud's key, audience equal to this
 * recorder, and time validity with a small allowance for clock skew. Everything else is refused.
 */
public final class GrantVerifier {
    /** A grant is a few hundred bytes; anything much longer is not one of ours. */
    static final int MAX_TOKEN_CHARS = 4096;
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final PublicKey cloudKey;
    private final String recorderId;
    private final Clock clock;

    public GrantVerifier(PublicKey cloudKey, String recorderId, Clock clock) {
        this.cloudKey = cloudKey;
        this.recorderId = recorderId;
        this.clock = clock;
    }

    public Grant verify(String token) throws GrantException {
        if (token == null || token.isEmpty()) {
            throw new GrantException(Reason.MISSING, "no grant presented: ask the cloud for one (POST /api/recorders/{id}/grant)");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new GrantException(Reason.MALFORMED, "grant too long: " + token.length() + " characters, at most " + MAX_TOKEN_CHARS);
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (firstDot < 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            throw new GrantException(Reason.MALFORMED, "grant is not a compact JWS (three dot-separated parts)");
        }
        byte[] header = token.substring(0, firstDot).getBytes(StandardCharsets.US_ASCII);
        if (!Arrays.equals(header, GrantSigner.HEADER)) {
            // Only the exact header we issue is accepted: no "alg":"none", no algorithm confusion.
            throw new GrantException(Reason.MALFORMED, "grant header is not {\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
        }
        Base64.Decoder decoder = Base64.getUrlDecoder();
        byte[] signatureBytes;
        byte[] payload;
        try {
            signatureBytes = decoder.decode(token.substring(secondDot + 1));
            payload = decoder.decode(token.substring(firstDot + 1, secondDot));
        } catch (IllegalArgumentException e) {
            throw new GrantException(Reason.MALFORMED, "grant is not base64url: " + e.getMessage());
        }
        if (!signatureValid(token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), signatureBytes)) {
            throw new GrantException(Reason.BAD_SIGNATURE, "grant signature does not verify with the cloud's key");
        }
        GrantClaims claims;
        try {
            claims = Json.read(payload, GrantClaims.class);
        } catch (RuntimeException e) {
            throw new GrantException(Reason.MALFORMED, "grant claims are not valid JSON");
        }
        if (claims == null || claims.sub() == null || claims.aud() == null || claims.jti() == null
                || claims.rights() == null || claims.iat() == null || claims.exp() == null
                || claims.rights().contains(null)) {
            throw new GrantException(Reason.MALFORMED, "grant lacks sub, aud, jti, rights, iat or exp");
        }
        if (!recorderId.equals(claims.aud())) {
            throw new GrantException(Reason.WRONG_RECORDER, "grant is for recorder " + claims.aud() + ", not this one");
        }
        Instant now = clock.instant();
        Instant expiresAt;
        Instant issuedAt;
        try {
            expiresAt = Instant.ofEpochSecond(claims.exp());
            issuedAt = Instant.ofEpochSecond(claims.iat());
        } catch (java.time.DateTimeException e) {
            throw new GrantException(Reason.MALFORMED, "grant times are out of range");
        }
        if (now.isAfter(expiresAt.plus(CLOCK_SKEW))) {
            throw new GrantException(Reason.EXPIRED, "grant expired at " + expiresAt + ": ask the cloud for a new one");
        }
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new GrantException(Reason.NOT_YET_VALID, "grant issued in the future (" + issuedAt + "): check the clocks");
        }
        return new Grant(claims.jti(), claims.sub(), claims.aud(), Set.copyOf(claims.rights()), issuedAt, expiresAt);
    }

    private boolean signatureValid(byte[] signingInput, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(cloudKey);
            signature.update(signingInput);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
