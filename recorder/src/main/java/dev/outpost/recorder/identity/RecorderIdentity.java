package dev.outpost.recorder.identity;

import dev.outpost.recorder.store.OwnerOnlyFile;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.tls.Fingerprint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Who this recorder is to its cloud, as learned at activation and kept in the data directory as
 * {@value #FILE_NAME} (mode 0600: it holds the link credential).
 *
 * @param recorderId     the id the cloud gave this recorder
 * @param name           the recorder's name in the cloud
 * @param credential     the secret the link presents; never logged, never in {@link #toString()}
 * @param grantPublicKey the cloud's Ed25519 key that signs grants
 * @param cloudUrl       where the cloud is, for example {@code https://cloud.example.com:8443}
 * @param trust          how the recorder trusts the cloud's TLS certificate: {@value ActivationProof#PKI_BINDING}
 *                       (the platform's certificate authorities, or a configured CA) or the SHA-256
 *                       fingerprint (64 lowercase hex digits) of the one certificate pinned at activation
 */
public record RecorderIdentity(String recorderId, String name, String credential, PublicKey grantPublicKey,
                               URI cloudUrl, String trust) {
    public static final String FILE_NAME = "identity.json";
    static final int FORMAT = 1;

    public RecorderIdentity {
        requireText(recorderId, "recorderId");
        requireText(name, "name");
        requireText(credential, "credential");
        Objects.requireNonNull(grantPublicKey, "grantPublicKey");
        if (!"Ed25519".equals(grantPublicKey.getAlgorithm()) && !"EdDSA".equals(grantPublicKey.getAlgorithm())) {
            throw new IllegalArgumentException("grantPublicKey must be an Ed25519 key, not " + grantPublicKey.getAlgorithm());
        }
        Objects.requireNonNull(cloudUrl, "cloudUrl");
        if (!"https".equalsIgnoreCase(cloudUrl.getScheme()) || cloudUrl.getHost() == null) {
            throw new IllegalArgumentException("cloudUrl must be an https URL with a host, not " + cloudUrl);
        }
        Objects.requireNonNull(trust, "trust");
        trust = ActivationProof.PKI_BINDING.equals(trust) ? trust : Fingerprint.normalize(trust);
    }

    /** The pinned certificate fingerprint, or empty when the cloud is trusted through certificate authorities. */
    public Optional<String> pinnedFingerprint() {
        return ActivationProof.PKI_BINDING.equals(trust) ? Optional.empty() : Optional.of(trust);
    }

    /** The identity saved in {@code dataDir}, or empty if this recorder was never activated there. */
    public static Optional<RecorderIdentity> load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Stored stored;
        try {
            stored = Json.read(bytes, Stored.class);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not valid JSON (" + e.getMessage()
                    + "): restore it from a backup, or delete it and activate the recorder again");
        }
        try {
            if (stored.format() != FORMAT) {
                throw new IllegalArgumentException("format " + stored.format() + " is not " + FORMAT);
            }
            requireText(stored.grantPublicKey(), "grantPublicKey");
            requireText(stored.cloudUrl(), "cloudUrl");
            return Optional.of(new RecorderIdentity(stored.recorderId(), stored.name(), stored.credential(),
                    decodePublicKey(stored.grantPublicKey()), URI.create(stored.cloudUrl()), stored.trust()));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a recorder identity: " + e.getMessage()
                    + "; restore it from a backup, or delete it and activate the recorder again", e);
        }
    }

    /**
     * Writes this identity to {@code dataDir} (created if missing): to a temporary file of mode 0600 in
     * the same directory, forced to disk, then moved over the old one at once, so a crash leaves either
     * the old identity or the new one, never half of one.
     */
    public void save(Path dataDir) throws IOException {
        byte[] json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(new Stored(FORMAT,
                recorderId, name, credential, Base64.getEncoder().encodeToString(grantPublicKey.getEncoded()),
                cloudUrl.toString(), trust));
        OwnerOnlyFile.replace(dataDir.resolve(FILE_NAME), json);
    }

    /** Reads a key as the cloud sends it: X.509 SubjectPublicKeyInfo, base64. */
    static PublicKey decodePublicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("grantPublicKey is not a base64 Ed25519 public key: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RecorderIdentity[recorderId=" + recorderId + ", name=" + name + ", cloudUrl=" + cloudUrl
                + ", trust=" + trust + "]";
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
    }

    /** The file's JSON shape; {@code format} lets a later version read or migrate older files. */
    record Stored(int format, String recorderId, String name, String credential, String grantPublicKey,
                  String cloudUrl, String trust) {
        @Override
        public String toString() {
            return "Stored[recorderId=" + recorderId + "]";
        }
    }
}
