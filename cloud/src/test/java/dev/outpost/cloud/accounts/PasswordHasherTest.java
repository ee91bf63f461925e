package dev.outpost.cloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    /** Made by the reference implementation (Debian's libargon2 1, argon2id_hash_encoded). */
    private static final String REFERENCE = "$argon2id$v=19$m=19456,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg"
            + "$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk";
    private static final String REFERENCE_PASSWORD = "correct horse battery staple";

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashesInPhcFormatWithOwaspParameters() {
        String hash = hasher.hash("open sesame 123");

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.hash("open sesame 123")).as("fresh salt each time").isNotEqualTo(hash);
    }

    @Test
    void onlyTheSamePasswordVerifies() {
        String hash = hasher.hash("open sesame 123");

        assertThat(hasher.verify("open sesame 123", hash)).isTrue();
        assertThat(hasher.verify("open sesame 124", hash)).isFalse();
        assertThat(hasher.verify("Open sesame 123", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void agreesWithTheReferenceImplementation() {
        byte[] salt = "outpost-salt-16b".getBytes(StandardCharsets.US_ASCII);

        assertThat(hasher.hash(REFERENCE_PASSWORD, salt)).isEqualTo(REFERENCE);
        assertThat(hasher.verify(REFERENCE_PASSWORD, REFERENCE)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", REFERENCE)).isFalse();
    }

    @Test
    void checksWithTheCostWrittenInTheHashSoCostsCanChangeLater() {
        String cheap = new PasswordHasher(64, 1, 1).hash("older than today");

        assertThat(cheap).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(hasher.verify("older than today", cheap)).isTrue();
    }

    @Test
    void handlesPasswordsBeyondAscii() {
        String hash = hasher.hash("pässwörd 密码 🔑");

        assertThat(hasher.verify("pässwörd 密码 🔑", hash)).isTrue();
        assertThat(hasher.verify("passwoord 密码 🔑", hash)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "plaintext",
            "$argon2i$v=19$m=19456,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=16$m=19456,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$t=2,m=19456,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=19456,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk=",
            "$argon2id$v=19$m=19456,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg",
            "$argon2id$v=19$m=19456,t=2,p=1$$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=19456,t=2,p=1$b3V0cG9z*C1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=19456,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk$",
    })
    void rejectsWhatIsNotAnArgon2idPhcString(String malformed) {
        assertThatThrownBy(() -> hasher.verify("anything", malformed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Argon2id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "$argon2id$v=19$m=99999999,t=2,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=19456,t=999,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=19456,t=0,p=1$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=19456,t=2,p=0$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
            "$argon2id$v=19$m=8,t=2,p=4$b3V0cG9zdC1zYWx0LTE2Yg$16jV9bgvhUqQKTNNpyuZE/7/ecQ7z3Z1fsMOcaptNrk",
    })
    void refusesCostsOutsideSaneBoundsWithoutTryingThem(String excessive) {
        assertThatThrownBy(() -> hasher.verify("anything", excessive))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("Argon2id (parameter [mtp]=|needs m).*");
    }
}
