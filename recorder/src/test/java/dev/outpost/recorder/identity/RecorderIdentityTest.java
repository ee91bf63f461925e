package dev.outpost.recorder.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.activation.ActivationProof;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderIdentityTest {
    private static final String FINGERPRINT = "ab".repeat(32);

    @TempDir
    Path dataDir;

    private static PublicKey cloudKey() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    }

    private static RecorderIdentity identity(String trust) throws Exception {
        return new RecorderIdentity("rec-1", "Front door", "s3cret-credential", cloudKey(),
                URI.create("https://cloud.example.com:8443"), trust);
    }

    @Test
    void savedIdentityLoadsBackTheSame() throws Exception {
        RecorderIdentity pinned = identity("SHA256:" + FINGERPRINT.toUpperCase());
        pinned.save(dataDir);

        RecorderIdentity loaded = RecorderIdentity.load(dataDir).orElseThrow();
        assertThat(loaded).isEqualTo(pinned);
        assertThat(loaded.trust()).isEqualTo(FINGERPRINT);
        assertThat(loaded.pinnedFingerprint()).hasValue(FINGERPRINT);

        RecorderIdentity pki = identity(ActivationProof.PKI_BINDING);
        pki.save(dataDir); // replaces the first
        assertThat(RecorderIdentity.load(dataDir)).hasValue(pki);
        assertThat(pki.pinnedFingerprint()).isEmpty();
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("identity.json");
        }
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws Exception {
        identity(FINGERPRINT).save(dataDir.resolve("nested"));
        Path file = dataDir.resolve("nested").resolve(RecorderIdentity.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aRecorderNeverActivatedHasNoIdentity() throws IOException {
        assertThat(RecorderIdentity.load(dataDir)).isEmpty();
    }

    @Test
    void theCredentialIsNeverPrinted() throws Exception {
        RecorderIdentity identity = identity(FINGERPRINT);
        assertThat(identity.toString()).contains("rec-1").doesNotContain("s3cret-credential");
    }

    @Test
    void aDamagedFileIsAClearError() throws Exception {
        Files.writeString(dataDir.resolve(RecorderIdentity.FILE_NAME), "{\"format\":1,\"recorderId\":\"rec-1\"");
        assertThatThrownBy(() -> RecorderIdentity.load(dataDir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("identity.json")
                .hasMessageContaining("activate the recorder again");

        Files.writeString(dataDir.resolve(RecorderIdentity.FILE_NAME),
                "{\"format\":1,\"recorderId\":\"rec-1\",\"name\":\"n\",\"credential\":\"c\",\"grantPublicKey\":\"AAAA\","
                        + "\"cloudUrl\":\"https://cloud\",\"trust\":\"pki\"}");
        assertThatThrownBy(() -> RecorderIdentity.load(dataDir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("grantPublicKey");
    }

    @Test
    void refusesWhatCannotBeAnIdentity() throws Exception {
        PublicKey key = cloudKey();
        assertThatThrownBy(() -> new RecorderIdentity("r", "n", "c", key, URI.create("http://cloud"), "pki"))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> new RecorderIdentity("r", "n", "c", key, URI.create("https://cloud"), "not-a-pin"))
                .hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> new RecorderIdentity("r", "n", "c",
                KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic(), URI.create("https://cloud"), "pki"))
                .hasMessageContaining("Ed25519");
    }
}
