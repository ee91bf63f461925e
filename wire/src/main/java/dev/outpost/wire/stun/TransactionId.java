package dev.outpost.wire.stun;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * RFC 8489 section 5: the 96-bit transaction id that pairs a response with its request, as a value.
 * It is picked uniformly at random (section 6), so a response cannot be forged without seeing the request.
 *
 * @param high the first 8 bytes, big-endian
 * @param low  the last 4 bytes, big-endian
 */
public record TransactionId(long high, int low) {
    public static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static TransactionId random() {
        return new TransactionId(RANDOM.nextLong(), RANDOM.nextInt());
    }

    public static TransactionId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, not " + bytes.length);
        }
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (bytes[i] & 0xff);
        }
        int low = 0;
        for (int i = 8; i < 12; i++) {
            low = low << 8 | (bytes[i] & 0xff);
        }
        return new TransactionId(high, low);
    }

    public byte[] bytes() {
        byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            bytes[8 + i] = (byte) (low >>> (24 - 8 * i));
        }
        return bytes;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes());
    }
}
