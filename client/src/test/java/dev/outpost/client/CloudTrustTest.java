package dev.outpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class CloudTrustTest {

    @Test
    void pinnedCertificateIsTrustedWhenReachedByAnAddressItDoesNotName() throws Exception {
        try (TestCloud cloud = new TestCloud(List.of("cloud.test"));
             OutpostClient client = OutpostClient.builder(cloud.uri())
                     .trust(CloudTrust.pinned(cloud.fingerprint())).token(TestCloud.TOKEN).build()) {
            assertThat(client.me().email()).isEqualTo(TestCloud.EMAIL);
        }
    }

    /**
     * The other half of CloudTrust's argument: HttpClient does ask for host name checks, and the JDK's
     * own trust manager makes them, even for a certificate it trusts. Only our extended trust manager
     * leaves them out.
     */
    @Test
    void jdkTrustManagerRefusesTheSameCertificateForAnAddressItDoesNotName() throws Exception {
        try (TestCloud cloud = new TestCloud(List.of("cloud.test"))) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("cloud", cloud.certificate.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            try (HttpClient http = HttpClient.newBuilder().sslContext(context).build()) {
                HttpRequest request = HttpRequest.newBuilder(cloud.uri().resolve("/api/me")).build();
                assertThatThrownBy(() -> http.send(request, BodyHandlers.discarding()))
                        .isInstanceOf(SSLHandshakeException.class)
                        .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
            }
        }
    }

    @Test
    void wrongPinIsRefusedAndTheErrorShowsTheCertificateActuallySeen() throws Exception {
        String wrong = "ab".repeat(32);
        try (TestCloud cloud = new TestCloud();
             OutpostClient client = OutpostClient.builder(cloud.uri())
                     .trust(CloudTrust.pinned(wrong)).token(TestCloud.TOKEN).build()) {
            assertThatThrownBy(client::me)
                    .isInstanceOfSatisfying(CertificateNotTrustedException.class, e -> {
                        assertThat(e.fingerprint()).isEqualTo(cloud.fingerprint());
                        assertThat(e.pinnedFingerprint()).contains(wrong);
                        assertThat(e.uri().getPath()).isEqualTo("/api/me");
                    })
                    .hasMessageContaining(cloud.fingerprint())
                    .hasMessageContaining("is not the pinned one");
            assertThat(cloud.authorizations).as("no request got through").isEmpty();
        }
    }

    @Test
    void selfSignedCloudIsNotTrustedByThePlatformAndTheErrorShowsItsFingerprint() throws Exception {
        try (TestCloud cloud = new TestCloud();
             OutpostClient client = OutpostClient.builder(cloud.uri()).build()) {
            assertThatThrownBy(() -> client.login(TestCloud.EMAIL, TestCloud.PASSWORD))
                    .isInstanceOfSatisfying(CertificateNotTrustedException.class,
                            e -> assertThat(e.pinnedFingerprint()).isEmpty())
                    .hasMessageContaining("cannot reach " + cloud.uri() + "/api/login")
                    .hasMessageContaining("not trusted")
                    .hasMessageContaining(cloud.fingerprint());
        }
    }

    @Test
    void fingerprintIsAcceptedInTheFormsPeoplePaste() {
        String hex = "0123456789abcdef".repeat(4);
        String colons = String.join(":", hex.toUpperCase().split("(?<=\\G..)"));
        assertThat(CloudTrust.pinned(colons)).isEqualTo(CloudTrust.pinned("sha256:" + hex));
        assertThat(CloudTrust.pinned(colons).pinnedFingerprint()).contains(hex);
        assertThatThrownBy(() -> CloudTrust.pinned("abc")).hasMessageContaining("64 hex digits");
    }
}
