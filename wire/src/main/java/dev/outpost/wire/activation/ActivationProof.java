package dev.outpost.wire.activation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proofs exchanged at activation, so the code itself never crosses the network and a man in the
 * middle can neither use it nor pose as the cloud. Each proof is HMAC-SHA256 under the code's proof
 * key over a role and the TLS binding: the fingerprint of the certificate the recorder saw, or
 * {@link #PKI_BINDING} when the platform's certificate authorities vouched for the cloud (for example
 * behind a TLS-inspecting proxy whose CA the site trusts). The cloud checks the recorder's proof
 * against its own certificate, so a relayed handshake with another certificate fails.
 */
public final class ActivationProof {
    public static final String PKI_BINDING = "pki";

    private ActivationProof() {
    }

    public static String recorderProof(byte[] proofKey, String binding) {
        return hmac(proofKey, "recorder\n" + binding);
    }

    public static String cloudProof(byte[] proofKey, String binding, String recorderId) {
        return hmac(proofKey, "cloud\n" + binding + "\n" + recorderId);
    }

    public static boolean matches(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
