package dev.outpost.cloud.store;

import java.security.SecureRandom;

/**
 * Identifiers for rows the API names in URLs: a one-letter kind ({@code o} organization, {@code u}
 * user, {@code r} recorder) and 16 lowercase base32 characters (80 random bits), so they are short,
 * URL-safe, unguessable and never collide in practice.
 */
public final class RandomIds {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int RANDOM_BYTES = 10;

    private RandomIds() {
    }

    public static String next(SecureRandom random, char kind) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        StringBuilder id = new StringBuilder(1 + RANDOM_BYTES * 8 / 5).append(kind);
        // RFC 4648 section 6: each 5 bytes become 8 characters of 5 bits, most significant first.
        for (int group = 0; group < RANDOM_BYTES; group += 5) {
            long bits = 0;
            for (int i = 0; i < 5; i++) {
                bits = (bits << 8) | (bytes[group + i] & 0xff);
            }
            for (int shift = 35; shift >= 0; shift -= 5) {
                id.append(ALPHABET.charAt((int) (bits >>> shift) & 31));
            }
        }
        return id.toString();
    }
}
