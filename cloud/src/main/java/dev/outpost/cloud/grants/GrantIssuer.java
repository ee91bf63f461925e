package dev.outpost.cloud.grants;

import dev.outpost.wire.grant.Grant;
import dev.outpost.wire.grant.GrantSigner;
import dev.outpost.wire.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the short-lived grants that recorders check on every request, with the cloud's Ed25519 key
 * (kept in the data directory, created on first start). A grant is reused for half its life, so a
 * viewer's many relayed requests cost one signature, not one each.
 */
public final class GrantIssuer {
    static final String KEY_FILE = "grants/ed25519.key";
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_CACHED = 10_000;

    private final KeyPair keys;
    private final GrantSigner signer;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Issued> recent = new ConcurrentHashMap<>();

    private record Issued(String token, Instant expiresAt) {
    }

    /** What a caller gets: the compact JWS and when it stops being accepted. */
    public record SignedGrant(String token, Instant expiresAt) {
    }

    public GrantIssuer(KeyPair keys, Duration lifetime, Clock clock) {
        this.keys = keys;
        this.signer = new GrantSigner(keys.getPrivate());
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public static GrantIssuer fromDataDir(Path dataDir, Duration lifetime, Clock clock) throws IOException {
        return new GrantIssuer(loadOrCreateKeys(dataDir.resolve(KEY_FILE)), lifetime, clock);
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The public key as recorders receive it at activation: X.509 SubjectPublicKeyInfo, base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    public SignedGrant issue(String userId, String recorderId, Set<String> rights) {
        String cacheKey = userId + "\n" + recorderId + "\n" + String.join(",", new java.util.TreeSet<>(rights));
        Instant now = clock.instant();
        Issued cached = recent.get(cacheKey);
        if (cached != null && cached.expiresAt().minus(lifetime.dividedBy(2)).isAfter(now)) {
            return new SignedGrant(cached.token(), cached.expiresAt());
        }
        byte[] id = new byte[12];
        random.nextBytes(id);
        Instant expiresAt = now.plus(lifetime);
        String token = signer.sign(new Grant(HexFormat.of().formatHex(id), userId, recorderId, rights, now, expiresAt));
        if (recent.size() >= MAX_CACHED) {
            recent.clear(); // a cache, not a store: start over rather than grow
        }
        recent.put(cacheKey, new Issued(token, expiresAt));
        return new SignedGrant(token, expiresAt);
    }

    /**
     * A grant of its own lifetime, never shared with other callers: for a viewer who keeps using the recorder
     * directly while the cloud may be out of reach (the web client's LAN sign-in).
     */
    public SignedGrant issueFor(String userId, String recorderId, Set<String> rights, Duration lifetime) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        return new SignedGrant(signer.sign(new Grant(HexFormat.of().formatHex(id), userId, recorderId, rights, now,
                expiresAt)), expiresAt);
    }

    private static KeyPair loadOrCreateKeys(Path file) throws IOException {
        if (Files.exists(file)) {
            String pem = Files.readString(file);
            return new KeyPair(Pem.readPublicKey(pem), Pem.readPrivateKey(pem));
        }
        try {
            KeyPair generated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Pem.write(generated.getPrivate(), generated.getPublic()));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return generated;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the grant signing key in " + file, e);
        }
    }
}
