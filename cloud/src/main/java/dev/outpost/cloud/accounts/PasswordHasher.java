package dev.outpost.cloud.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and checks passwords with Argon2id (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}, with OWASP's recommended cost (19 MiB, 2 passes,
 * 1 lane). Checking uses the cost written in the stored hash, so the cost can rise later without
 * locking anyone out.
 */
public final class PasswordHasher {
    static final int OWASP_MEMORY_KIB = 19_456;
    static final int OWASP_ITERATIONS = 2;
    static final int OWASP_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    // Bounds on what a stored hash may ask for, so a corrupt row cannot exhaust memory or time.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,172})");

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    /**
     * Each hash holds {@code memoryKib} of memory while it runs; at most this many run at once, the
     * rest wait for a turn, so a burst of logins costs time rather than the heap.
     */
    private final Semaphore running = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    /** OWASP's parameters: what the cloud uses. */
    public PasswordHasher() {
        this(OWASP_MEMORY_KIB, OWASP_ITERATIONS, OWASP_PARALLELISM);
    }

    PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /** A new PHC string for the password, with a fresh random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return hash(password, salt);
    }

    String hash(String password, byte[] salt) {
        byte[] hash = argon2id(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /**
     * Whether the password matches the PHC string, compared in constant time.
     *
     * @throws IllegalArgumentException if {@code phc} is not an Argon2id hash this class can check
     */
    public boolean verify(String password, String phc) {
        Matcher parts = PHC.matcher(phc);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not an Argon2id PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash)");
        }
        int memory = bounded(parts.group(1), "m", MAX_MEMORY_KIB);
        int passes = bounded(parts.group(2), "t", MAX_ITERATIONS);
        int lanes = bounded(parts.group(3), "p", MAX_PARALLELISM);
        if (memory < 8 * lanes) {
            throw new IllegalArgumentException("Argon2id needs m of at least 8 KiB per lane, the hash has m=" + memory);
        }
        byte[] salt = decode(parts.group(4), "salt");
        byte[] expected = decode(parts.group(5), "hash");
        byte[] actual = argon2id(password, salt, memory, passes, lanes, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] argon2id(String password, byte[] salt, int memory, int passes, int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(passes)
                .withParallelism(lanes)
                .withSalt(salt)
                .build());
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        running.acquireUninterruptibly();
        try {
            generator.generateBytes(secret, out);
        } finally {
            running.release();
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }

    private static int bounded(String digits, String name, int max) {
        int value = Integer.parseInt(digits);
        if (value < 1 || value > max) {
            throw new IllegalArgumentException("Argon2id parameter " + name + "=" + value + " is outside 1.." + max);
        }
        return value;
    }

    private static byte[] decode(String base64, String name) {
        if (base64.length() % 4 == 1) {
            throw new IllegalArgumentException("Argon2id " + name + " is not valid base64");
        }
        return Base64.getDecoder().decode(base64);
    }
}
