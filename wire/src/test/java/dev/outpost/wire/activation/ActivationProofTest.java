package dev.outpost.wire.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The activation proofs bind the code to one role, one TLS certificate and one recorder id. */
class ActivationProofTest {
    private static final byte[] KEY = ActivationCode.parse("7KQ2M-XR4TD-9HWCA-PZ3NE").proofKey();
    private static final byte[] OTHER_KEY = ActivationCode.parse("7KQ2M-XR4TD-9HWCA-PZ3NF").proofKey();
    private static final String CERT_A = "a".repeat(64);
    private static final String CERT_B = "b".repeat(64);

    @Test
    void aProofIsStableBase64UrlOfAnHmacSha256() {
        String proof = ActivationProof.recorderProof(KEY, CERT_A);
        assertThat(proof).matches("[A-Za-z0-9_-]{43}").isEqualTo(ActivationProof.recorderProof(KEY.clone(), CERT_A));
        assertThat(ActivationProof.cloudProof(KEY, CERT_A, "rec-1")).matches("[A-Za-z0-9_-]{43}")
                .isEqualTo(ActivationProof.cloudProof(KEY, CERT_A, "rec-1"));
    }

    @Test
    void proofsDifferPerBinding() {
        assertThat(Set.of(ActivationProof.recorderProof(KEY, CERT_A), ActivationProof.recorderProof(KEY, CERT_B),
                ActivationProof.recorderProof(KEY, ActivationProof.PKI_BINDING))).hasSize(3);
        assertThat(Set.of(ActivationProof.cloudProof(KEY, CERT_A, "rec-1"), ActivationProof.cloudProof(KEY, CERT_B, "rec-1"),
                ActivationProof.cloudProof(KEY, ActivationProof.PKI_BINDING, "rec-1"))).hasSize(3);
    }

    @Test
    void proofsDifferPerRole() {
        // The cloud cannot be impersonated by replaying the recorder's own proof, whatever the recorder id.
        for (String binding : List.of(CERT_A, ActivationProof.PKI_BINDING)) {
            String recorder = ActivationProof.recorderProof(KEY, binding);
            for (String id : List.of("", "rec-1", binding)) {
                assertThat(ActivationProof.cloudProof(KEY, binding, id)).isNotEqualTo(recorder);
            }
        }
    }

    @Test
    void cloudProofsDifferPerRecorderId() {
        Set<String> proofs = new HashSet<>();
        for (String id : List.of("rec-1", "rec-2", "REC-1", "rec-1 ", "")) {
            proofs.add(ActivationProof.cloudProof(KEY, CERT_A, id));
        }
        assertThat(proofs).hasSize(5);
    }

    @Test
    void proofsDifferPerCode() {
        assertThat(ActivationProof.recorderProof(OTHER_KEY, CERT_A)).isNotEqualTo(ActivationProof.recorderProof(KEY, CERT_A));
        assertThat(ActivationProof.cloudProof(OTHER_KEY, CERT_A, "rec-1")).isNotEqualTo(ActivationProof.cloudProof(KEY, CERT_A, "rec-1"));
    }

    @Test
    void matchesIsExact() {
        String proof = ActivationProof.recorderProof(KEY, CERT_A);
        assertThat(ActivationProof.matches(proof, proof)).isTrue();
        assertThat(ActivationProof.matches(proof, new String(proof.toCharArray()))).isTrue();

        char[] changed = proof.toCharArray();
        changed[20] = changed[20] == 'A' ? 'B' : 'A';
        for (String presented : List.of(new String(changed), proof.substring(1), proof.substring(0, proof.length() - 1),
                proof + "=", proof + "A", " " + proof, proof.toLowerCase(), proof.toUpperCase(), "", "é" + proof.substring(1))) {
            assertThat(ActivationProof.matches(proof, presented)).as(presented).isFalse();
        }
        assertThat(ActivationProof.matches(proof, null)).isFalse();
    }
}
