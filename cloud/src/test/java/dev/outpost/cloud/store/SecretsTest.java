package dev.outpost.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void secretsAreUrlSafeAndHaveTheirFullLength() {
        String secret = Secrets.newSecret(random);

        assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Secrets.newSecret(random)).isNotEqualTo(secret);
    }

    @Test
    void onlyTheRightSecretMatchesItsHash() {
        String secret = Secrets.newSecret(random);
        String stored = Secrets.hash(secret);

        assertThat(stored).hasSize(64).matches("[0-9a-f]+");
        assertThat(Secrets.matches(stored, secret)).isTrue();
        assertThat(Secrets.matches(stored, Secrets.newSecret(random))).isFalse();
        assertThat(Secrets.matches(stored, "")).isFalse();
        assertThat(Secrets.matches(stored, null)).isFalse();
        assertThat(Secrets.matches("", secret)).isFalse();
    }

    @Test
    void hashIsSha256() {
        // FIPS 180-2 appendix B.1
        assertThat(Secrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void randomIdsAreShortUrlSafeAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RandomIds.next(random, 'r');
            assertThat(id).matches("r[a-z2-7]{16}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }
}
