package dev.outpost.wire.activation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A single-use activation code as an installer types it: 20 characters of Crockford base32 in four
 * groups ({@code 7KQ2M-XR4TD-9HWCA-PZ3NE}). The first group names the code (so the cloud can find it
 * without the secret ever crossing the network); the other 75 bits are the secret, from which both
 * sides derive the proof key.
 */
public record ActivationCode(String id, String secret) {
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int ID_CHARS = 5;
    static final int SECRET_CHARS = 15;

    public ActivationCode {
        if (id.length() != ID_CHARS || secret.length() != SECRET_CHARS) {
            throw new IllegalArgumentException("activation code must have 20 characters");
        }
    }

    public static ActivationCode generate(SecureRandom random) {
        return new ActivationCode(randomChars(random, ID_CHARS), randomChars(random, SECRET_CHARS));
    }

    /** Parses what a person typed: case, spaces and dashes do not matter; I/L read as 1, O as 0. */
    public static ActivationCode parse(String typed) {
        StringBuilder clean = new StringBuilder();
        for (char c : typed.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            char mapped = switch (c) {
                case 'I', 'L' -> '1';
                case 'O' -> '0';
                default -> c;
            };
            if (ALPHABET.indexOf(mapped) < 0) {
                throw new IllegalArgumentException("activation code has an invalid character '" + c
                        + "': copy it again from the cloud's Recorders page");
            }
            clean.append(mapped);
        }
        if (clean.length() != ID_CHARS + SECRET_CHARS) {
            throw new IllegalArgumentException("activation code must have 20 characters, this has " + clean.length()
                    + ": copy it again from the cloud's Recorders page");
        }
        return new ActivationCode(clean.substring(0, ID_CHARS), clean.substring(ID_CHARS));
    }

    /** The key both sides derive from the code; the cloud stores this, never the code itself. */
    public byte[] proofKey() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("outpost-activation\n" + id + secret).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String text() {
        String all = id + secret;
        return all.substring(0, 5) + "-" + all.substring(5, 10) + "-" + all.substring(10, 15) + "-" + all.substring(15);
    }

    @Override
    public String toString() {
        return "ActivationCode[id=" + id + "]";
    }

    private static String randomChars(SecureRandom random, int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
