package dev.outpost.wire.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outpost.wire.grant.GrantException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grants signed by {@link GrantSigner} and checked by {@link GrantVerifier}, and every way a token can be wrong. */
class GrantVerifierTest {
    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final String RECORDER = "rec-7KQ2M";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final KeyPair CLOUD = ed25519();
    private static final KeyPair OTHER = ed25519();

    private final GrantSigner signer = new GrantSigner(CLOUD.getPrivate());
    private final Grant grant = new Grant("g-1", "user-42", RECORDER, Set.of(Grant.VIEW), NOW, NOW.plusSeconds(300));

    @Test
    void aSignedGrantVerifies() throws GrantException {
        Grant back = verifierAt(NOW).verify(signer.sign(grant));
        assertThat(back).isEqualTo(grant);
        assertThat(back.allows(Grant.VIEW)).isTrue();
        assertThat(back.allows(Grant.ADMIN)).isFalse();
    }

    @Test
    void aGrantWithSeveralRightsVerifies() throws GrantException {
        Grant admin = new Grant("g-2", "user-42", RECORDER, Set.of(Grant.VIEW, Grant.ADMIN), NOW, NOW.plusSeconds(60));
        assertThat(verifierAt(NOW).verify(signer.sign(admin)).rights()).containsExactlyInAnyOrder(Grant.VIEW, Grant.ADMIN);
    }

    @Test
    void aTokenIsACompactJwsWithTheEdDsaHeaderAndTheCloudAsIssuer() {
        String[] parts = signer.sign(grant).split("\\.", -1);
        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
        assertThat(decode(parts[1])).contains("\"iss\":\"outpost-cloud\"", "\"aud\":\"" + RECORDER + "\"",
                "\"sub\":\"user-42\"", "\"jti\":\"g-1\"", "\"exp\":" + NOW.plusSeconds(300).getEpochSecond());
        assertThat(Base64.getUrlDecoder().decode(parts[2])).hasSize(64);
    }

    @Test
    void theSignerRefusesKeysThatAreNotEd25519() throws GeneralSecurityException {
        PrivateKey ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
        assertThatThrownBy(() -> new GrantSigner(ec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519");
    }

    @Test
    void aGrantSignedWithAnotherKeyIsForged() {
        String forged = new GrantSigner(OTHER.getPrivate()).sign(grant);
        assertRefused(forged, Reason.BAD_SIGNATURE);
    }

    @Test
    void anExpiredGrantIsAcceptedOnlyWithinTheClockSkew() throws GrantException {
        String token = signer.sign(grant);
        Instant expiry = grant.expiresAt();
        assertThat(GrantVerifier.CLOCK_SKEW).isEqualTo(Duration.ofSeconds(30));

        assertThat(verifierAt(expiry).verify(token)).isEqualTo(grant);
        assertThat(verifierAt(expiry.plusSeconds(29)).verify(token)).isEqualTo(grant);
        assertThat(verifierAt(expiry.plusSeconds(30)).verify(token)).isEqualTo(grant);

        assertThat(refusal(verifierAt(expiry.plusSeconds(30).plusMillis(1)), token).reason()).isEqualTo(Reason.EXPIRED);
        GrantException late = refusal(verifierAt(expiry.plus(Duration.ofDays(1))), token);
        assertThat(late.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(late.getMessage()).contains(expiry.toString()).contains("ask the cloud for a new one");
    }

    @Test
    void aGrantIssuedInTheFutureIsAcceptedOnlyWithinTheClockSkew() throws GrantException {
        Grant early = new Grant("g-3", "user-42", RECORDER, Set.of(Grant.VIEW), NOW.plusSeconds(30), NOW.plusSeconds(300));
        assertThat(verifierAt(NOW).verify(signer.sign(early))).isEqualTo(early);

        Grant future = new Grant("g-4", "user-42", RECORDER, Set.of(Grant.VIEW), NOW.plusSeconds(31), NOW.plusSeconds(300));
        GrantException refused = refusal(verifierAt(NOW), signer.sign(future));
        assertThat(refused.reason()).isEqualTo(Reason.NOT_YET_VALID);
        assertThat(refused.getMessage()).contains("check the clocks");
    }

    @Test
    void aGrantForAnotherRecorderIsRefused() {
        GrantVerifier other = new GrantVerifier(CLOUD.getPublic(), "rec-OTHER", Clock.fixed(NOW, ZoneOffset.UTC));
        GrantException refused = refusal(other, signer.sign(grant));
        assertThat(refused.reason()).isEqualTo(Reason.WRONG_RECORDER);
        assertThat(refused.getMessage()).contains(RECORDER);
    }

    @Test
    void noTokenIsMissing() {
        assertRefused(null, Reason.MISSING);
        assertRefused("", Reason.MISSING);
    }

    @Test
    void algNoneIsRefused() {
        String[] parts = signer.sign(grant).split("\\.");
        String none = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(none + "." + parts[1] + ".", Reason.MALFORMED);
        assertRefused(none + "." + parts[1] + "." + parts[2], Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"typ\":\"JWT\",\"alg\":\"EdDSA\"}", "{\"alg\":\"EdDSA\"}",
            "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"k1\"}", "{\"alg\":\"eddsa\",\"typ\":\"JWT\"}",
            "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"crit\":[\"b64\"],\"b64\":false}", "{\"alg\":\"ES256\",\"typ\":\"JWT\"}",
            "{ \"alg\":\"EdDSA\",\"typ\":\"JWT\"}"})
    void anyOtherHeaderIsRefusedEvenWhenSignedWithTheCloudsKey(String header) {
        String payload = signer.sign(grant).split("\\.")[1];
        String encodedHeader = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8));
        String token = signRaw(encodedHeader + "." + payload, CLOUD.getPrivate());
        GrantException refused = refusal(verifierAt(NOW), token);
        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(refused.getMessage()).contains("header");
    }

    @Test
    void tokensWithoutExactlyThreePartsAreMalformed() {
        String token = signer.sign(grant);
        String[] parts = token.split("\\.");
        for (String bad : List.of(parts[0] + "." + parts[1], token + "." + parts[2], token + ".", parts[0], "..", "...",
                "." + parts[1] + "." + parts[2], "not a token")) {
            GrantException refused = refusal(verifierAt(NOW), bad);
            assertThat(refused.reason()).as(bad).isEqualTo(Reason.MALFORMED);
        }
        assertThat(refusal(verifierAt(NOW), parts[0] + "." + parts[1]).getMessage()).contains("three dot-separated parts");
    }

    @Test
    void partsThatAreNotBase64UrlAreMalformed() {
        String[] parts = signer.sign(grant).split("\\.");
        for (String bad : List.of(parts[0] + "." + parts[1] + ".***", parts[0] + "." + parts[1] + ".a b",
                parts[0] + ".+/" + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + "!." + parts[2],
                parts[0] + "." + parts[1] + "." + parts[2] + "é")) {
            GrantException refused = refusal(verifierAt(NOW), bad);
            assertThat(refused.reason()).as(bad).isEqualTo(Reason.MALFORMED);
            assertThat(refused.getMessage()).as(bad).contains("base64url");
        }
    }

    @Test
    void anOversizedTokenIsMalformedBeforeAnyParsing() {
        String huge = "x".repeat(GrantVerifier.MAX_TOKEN_CHARS + 1);
        GrantException refused = refusal(verifierAt(NOW), huge);
        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(refused.getMessage()).contains("too long").contains(String.valueOf(GrantVerifier.MAX_TOKEN_CHARS));

        String padded = signer.sign(grant) + "A".repeat(GrantVerifier.MAX_TOKEN_CHARS);
        assertThat(refusal(verifierAt(NOW), padded).getMessage()).contains("too long");
    }

    @Test
    void aLargeGrantUpToTheLimitVerifies() throws GrantException {
        List<String> rights = new ArrayList<>();
        Grant big = grant;
        for (int i = 0; signer.sign(big).length() <= GrantVerifier.MAX_TOKEN_CHARS - 30; i++) {
            rights.add("right-" + i);
            big = new Grant("g-big", "user-42", RECORDER, Set.copyOf(rights), NOW, NOW.plusSeconds(60));
        }
        assertThat(verifierAt(NOW).verify(signer.sign(big))).isEqualTo(big);
    }

    @Test
    void claimsTamperedWithAfterSigningAreABadSignature() {
        String[] parts = signer.sign(grant).split("\\.");
        String claims = decode(parts[1]);
        for (String tampered : List.of(
                claims.replace("\"view\"", "\"view\",\"admin\""),
                claims.replace(RECORDER, "rec-OTHER"),
                claims.replace(String.valueOf(NOW.plusSeconds(300).getEpochSecond()), String.valueOf(NOW.plusSeconds(86_400).getEpochSecond())),
                claims.replace("user-42", "user-1"),
                claims + " ")) {
            assertThat(tampered).isNotEqualTo(claims);
            String token = parts[0] + "." + B64.encodeToString(tampered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            assertRefused(token, Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void aSignatureThatIsTruncatedEmptyOrFromAnotherGrantIsBad() {
        String[] parts = signer.sign(grant).split("\\.");
        String[] other = signer.sign(new Grant("g-9", "user-42", RECORDER, Set.of(Grant.VIEW), NOW, NOW.plusSeconds(300))).split("\\.");
        assertRefused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 40), Reason.BAD_SIGNATURE);
        assertRefused(parts[0] + "." + parts[1] + ".", Reason.BAD_SIGNATURE);
        assertRefused(parts[0] + "." + parts[1] + "." + other[2], Reason.BAD_SIGNATURE);
        assertRefused(parts[0] + "." + parts[1] + "." + parts[2] + parts[2], Reason.BAD_SIGNATURE);
    }

    @Test
    void noSingleCharacterChangeYieldsADifferentGrant() {
        String token = signer.sign(grant);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
        Random random = new Random(99);
        GrantVerifier verifier = verifierAt(NOW);
        for (int i = 0; i < 400; i++) {
            char[] chars = token.toCharArray();
            int at = random.nextInt(chars.length);
            chars[at] = alphabet.charAt(random.nextInt(alphabet.length()));
            String mutated = new String(chars);
            try {
                // Base64 can ignore the last character's spare bits: then the grant is the same one.
                assertThat(verifier.verify(mutated)).as(mutated).isEqualTo(grant);
            } catch (GrantException e) {
                assertThat(e.reason()).as(mutated).isIn(Reason.MALFORMED, Reason.BAD_SIGNATURE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "aud", "jti", "rights"})
    void signedClaimsLackingARequiredClaimAreMalformed(String missing) {
        List<String> claims = new ArrayList<>(List.of("\"jti\":\"g-1\"", "\"iss\":\"outpost-cloud\"", "\"sub\":\"user-42\"",
                "\"aud\":\"" + RECORDER + "\"", "\"rights\":[\"view\"]", "\"iat\":" + NOW.getEpochSecond(),
                "\"exp\":" + NOW.plusSeconds(300).getEpochSecond()));
        claims.removeIf(c -> c.startsWith("\"" + missing + "\""));
        GrantException refused = refusal(verifierAt(NOW), signedClaims("{" + String.join(",", claims) + "}"));
        assertThat(refused.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(refused.getMessage()).contains(missing);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[]",
            "null",
            "{\"jti\":\"g\",\"sub\":\"u\",\"aud\":\"rec-7KQ2M\",\"rights\":[\"view\"],\"iat\":{iat}}",
            "{\"jti\":\"g\",\"sub\":\"u\",\"aud\":\"rec-7KQ2M\",\"rights\":[\"view\"],\"exp\":{exp}}",
            "{\"jti\":\"g\",\"sub\":\"u\",\"aud\":\"rec-7KQ2M\",\"rights\":[\"view\",null],\"iat\":{iat},\"exp\":{exp}}",
            "{\"jti\":\"g\",\"sub\":\"u\",\"aud\":\"rec-7KQ2M\",\"rights\":[\"view\"],\"iat\":{iat},\"exp\":9223372036854775807}",
            "{\"jti\":\"g\",\"sub\":\"u\",\"aud\":\"rec-7KQ2M\",\"rights\":[\"view\"],\"iat\":-9223372036854775808,\"exp\":{exp}}"})
    void signedClaimsTheVerifierCannotUseAreMalformed(String claims) {
        // Only the cloud can sign these, but a cloud bug must still get a clear refusal, not an exception.
        String json = claims.replace("{iat}", String.valueOf(NOW.getEpochSecond()))
                .replace("{exp}", String.valueOf(NOW.plusSeconds(300).getEpochSecond()));
        Throwable thrown = catchThrowable(() -> verifierAt(NOW).verify(signedClaims(json)));
        assertThat(thrown).isInstanceOf(GrantException.class);
        assertThat(((GrantException) thrown).reason()).isEqualTo(Reason.MALFORMED);
    }

    // ---- helpers ----

    private static GrantVerifier verifierAt(Instant now) {
        return new GrantVerifier(CLOUD.getPublic(), RECORDER, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static void assertRefused(String token, Reason reason) {
        assertThat(refusal(verifierAt(NOW), token).reason()).as(token).isEqualTo(reason);
    }

    private static GrantException refusal(GrantVerifier verifier, String token) {
        Throwable thrown = catchThrowable(() -> verifier.verify(token));
        assertThat(thrown).as(token).isInstanceOf(GrantException.class);
        return (GrantException) thrown;
    }

    private static String signedClaims(String claimsJson) {
        String payload = B64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        return signRaw(new String(GrantSigner.HEADER, StandardCharsets.US_ASCII) + "." + payload, CLOUD.getPrivate());
    }

    private static String signRaw(String signingInput, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
