package dev.outpost.wire.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Certificate pinning by SHA-256 fingerprint, and the fingerprint forms people paste. */
class PinnedTrustManagerTest {
    private static final CertifiedKey CLOUD = CertifiedKey.selfSigned("cloud", List.of("localhost"), Duration.ofDays(1));
    private static final CertifiedKey IMPOSTOR = CertifiedKey.selfSigned("cloud", List.of("localhost"), Duration.ofDays(1));
    private static final String PIN = Fingerprint.of(CLOUD.certificate());

    private final PinnedTrustManager trust = new PinnedTrustManager(PIN);

    @Test
    void theFingerprintIsTheSha256OfTheEncodedCertificateInLowercaseHex() throws Exception {
        assertThat(PIN).matches("[0-9a-f]{64}").isEqualTo(Fingerprint.sha256Hex(CLOUD.certificate().getEncoded()));
        assertThat(Fingerprint.sha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Fingerprint.of(IMPOSTOR.certificate())).isNotEqualTo(PIN);
    }

    @Test
    void thePinnedCertificateIsTrustedWhateverTheChainBehindIt() {
        assertThatCode(() -> trust.checkServerTrusted(new X509Certificate[] {CLOUD.certificate()}, "ECDHE_ECDSA"))
                .doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(new X509Certificate[] {CLOUD.certificate(), IMPOSTOR.certificate()}, "EC"))
                .doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(new X509Certificate[] {CLOUD.certificate()}, "EC", (javax.net.ssl.SSLEngine) null))
                .doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(new X509Certificate[] {CLOUD.certificate()}, "EC", (java.net.Socket) null))
                .doesNotThrowAnyException();
    }

    @Test
    void anyOtherCertificateIsRefusedNamingBothFingerprints() {
        String seen = Fingerprint.of(IMPOSTOR.certificate());
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {IMPOSTOR.certificate()}, "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(seen).hasMessageContaining(PIN).hasMessageContaining("TLS-inspecting proxy");
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {IMPOSTOR.certificate(), CLOUD.certificate()}, "EC"))
                .as("the pinned certificate further down the chain does not help").isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {IMPOSTOR.certificate()}, "EC", (javax.net.ssl.SSLEngine) null))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {IMPOSTOR.certificate()}, "EC", (java.net.Socket) null))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void anEmptyChainIsRefused() {
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[0], "EC"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> trust.checkServerTrusted(null, "EC")).isInstanceOf(CertificateException.class);
    }

    @Test
    void clientCertificatesAreNeverTrusted() {
        X509Certificate[] chain = {CLOUD.certificate()};
        assertThatThrownBy(() -> trust.checkClientTrusted(chain, "EC")).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> trust.checkClientTrusted(chain, "EC", (javax.net.ssl.SSLEngine) null)).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> trust.checkClientTrusted(chain, "EC", (java.net.Socket) null)).isInstanceOf(CertificateException.class);
        assertThat(trust.getAcceptedIssuers()).isEmpty();
    }

    @Test
    void aPinInAnyPastedFormWorks() {
        String colons = String.join(":", PIN.toUpperCase(Locale.ROOT).split("(?<=\\G..)"));
        PinnedTrustManager pasted = new PinnedTrustManager("  SHA256:" + colons + "\n");
        assertThatCode(() -> pasted.checkServerTrusted(new X509Certificate[] {CLOUD.certificate()}, "EC")).doesNotThrowAnyException();
    }

    @Test
    void aPinThatIsNotAFingerprintIsRefusedUpFront() {
        assertThatThrownBy(() -> new PinnedTrustManager("cloud.example.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }

    // ---- Fingerprint.normalize ----

    @Test
    void normalizeAcceptsColonsCaseAndASha256Prefix() {
        String hex = HexFormat.of().formatHex(new byte[] {(byte) 0xAB, (byte) 0xCD, 0x01, 0x23}).repeat(8);
        String upperColons = String.join(":", hex.toUpperCase(Locale.ROOT).split("(?<=\\G..)"));
        for (String pasted : List.of(hex, hex.toUpperCase(Locale.ROOT), upperColons, upperColons.toLowerCase(Locale.ROOT),
                "sha256:" + hex, "SHA256:" + upperColons, "Sha256:" + hex, "  " + hex + "\t", "\n sha256:" + upperColons + " \n")) {
            assertThat(Fingerprint.normalize(pasted)).as(pasted).isEqualTo(hex);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256:", "abc", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
            "0123456789abcdef0123456789abcdef", "sha1:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef 0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef-0123456789abcdef-0123456789abcdef-0123456789abcdef"})
    void normalizeRefusesAnythingButSixtyFourHexDigits(String pasted) {
        assertThatThrownBy(() -> Fingerprint.normalize(pasted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a SHA-256 fingerprint (64 hex digits)")
                .hasMessageContaining(pasted);
    }
}
