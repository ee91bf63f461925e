package dev.outpost.cloud.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (session tokens, recorder credentials) and the only form the database keeps of
 * them: their SHA-256. The secrets have 256 random bits, so a plain hash is enough; a leaked table
 * reveals nothing usable.
 */
public final class Secrets {
    private static final int SECRET_BYTES = 32;
    private static final int SHA_256_HEX_CHARS = 64;

    private Secrets() {
    }

    /** 32 random bytes, base64url without padding (43 characters). */
    public static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the secret as lowercase hex: what goes into the database. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Whether the presented secret hashes to the stored hash, in time independent of where they differ. */
    public static boolean matches(String storedHash, String presented) {
        if (presented == null || storedHash.length() != SHA_256_HEX_CHARS) {
            return false;
        }
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                hash(presented).getBytes(StandardCharsets.US_ASCII));
    }
}
