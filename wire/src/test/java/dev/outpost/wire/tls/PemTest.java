package dev.outpost.wire.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
    @Test
    void aGeneratedCertificateAndKeyReadBackAsWritten() {
        CertifiedKey generated = CertifiedKey.selfSigned("cloud", List.of("localhost", "127.0.0.1"),
                Duration.ofDays(1));
        String pem = Pem.write(generated.certificate(), generated.privateKey());
        assertThat(Pem.readCertificates(pem)).containsExactly(generated.certificate());
        assertThat(Pem.readPrivateKey(pem).getEncoded()).isEqualTo(generated.privateKey().getEncoded());
        assertThat(Fingerprint.of(Pem.readCertificates(pem).getFirst())).isEqualTo(Fingerprint.of(generated.certificate()));
    }

    @Test
    void anEd25519KeyPairReadsBack() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = Pem.write(pair.getPrivate(), pair.getPublic());
        assertThat(Pem.readPrivateKey(pem).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Pem.readPublicKey(pem).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void textWithoutAKeyIsRefusedClearly() {
        assertThatThrownBy(() -> Pem.readPrivateKey("hello")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no private key");
        assertThatThrownBy(() -> Pem.readCertificates("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate");
    }
}
