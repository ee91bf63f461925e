package dev.outpost.wire.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderCertificatesTest {
    private static final CertificateAuthority CLOUD = CertificateAuthority.generate("cloud recorders CA", Duration.ofDays(1));
    private static final KeyPair KEY = RecorderCertificates.newKeyPair();

    @Test
    void aCertificateOfThisRecorderFromTheCloudsCaIsTrustedWhateverAddressWasDialled() {
        X509Certificate leaf = CLOUD.issueServer(KEY.getPublic(), "r1", List.of(RecorderCertificates.name("r1")),
                Duration.ofDays(1));
        assertThatCode(() -> RecorderCertificates.trustManager(CLOUD.certificate(), "r1")
                .checkServerTrusted(new X509Certificate[] {leaf, CLOUD.certificate()}, "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
        assertThatCode(() -> RecorderCertificates.trustManager(CLOUD.certificate(), "r1")
                .checkServerTrusted(new X509Certificate[] {leaf}, "ECDHE_ECDSA")).doesNotThrowAnyException();
    }

    @Test
    void anotherRecordersCertificateOrAnotherCaIsRefused() {
        X509Certificate other = CLOUD.issueServer(KEY.getPublic(), "r2", List.of(RecorderCertificates.name("r2")),
                Duration.ofDays(1));
        assertThatThrownBy(() -> RecorderCertificates.trustManager(CLOUD.certificate(), "r1")
                .checkServerTrusted(new X509Certificate[] {other}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("another recorder answered");

        CertificateAuthority stranger = CertificateAuthority.generate("someone else", Duration.ofDays(1));
        X509Certificate forged = stranger.issueServer(KEY.getPublic(), "r1", List.of(RecorderCertificates.name("r1")),
                Duration.ofDays(1));
        assertThatThrownBy(() -> RecorderCertificates.trustManager(CLOUD.certificate(), "r1")
                .checkServerTrusted(new X509Certificate[] {forged, stranger.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("not issued by this cloud");
        CertifiedKey selfSigned = CertifiedKey.selfSigned(RecorderCertificates.name("r1"),
                List.of(RecorderCertificates.name("r1")), Duration.ofDays(1));
        assertThatThrownBy(() -> RecorderCertificates.trustManager(CLOUD.certificate(), "r1")
                .checkServerTrusted(new X509Certificate[] {selfSigned.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }
}
