package dev.outpost.recorder.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.tls.Fingerprint;
import dev.outpost.wire.tls.Pem;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activation against a small HTTPS cloud started by the test. */
class ActivatorTest {
    private static final String SOFTWARE = "outpost-recorder/test";
    private final Activator activator = new Activator(Duration.ofSeconds(5), HttpClient.Builder.NO_PROXY,
            CloudTrust.platform());
    private FakeCloud cloud;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void activatesWithASelfSignedCloudAndPinsItsCertificate() throws Exception {
        cloud = new FakeCloud(List.of("127.0.0.1"));
        String typed = cloud.code.text().toLowerCase().replace("-", " "); // as a person might type it

        RecorderIdentity identity = activator.activate(cloud.url(), typed, SOFTWARE);

        assertThat(identity.recorderId()).isEqualTo("rec-42");
        assertThat(identity.name()).isEqualTo("Warehouse");
        assertThat(identity.credential()).isEqualTo("link-credential-xyz");
        assertThat(identity.grantPublicKey()).isEqualTo(cloud.grantKeys.getPublic());
        assertThat(identity.cloudUrl()).isEqualTo(cloud.url());
        assertThat(identity.pinnedFingerprint()).hasValue(cloud.fingerprint());
        assertThat(cloud.received.software()).isEqualTo(SOFTWARE);
        assertThat(cloud.received.binding()).isEqualTo(cloud.fingerprint());

        // The link then trusts exactly that certificate, whatever name it is reached by.
        assertThat(get(CloudTrust.of(identity), cloud.url())).isEqualTo(404);
        assertThat(get(CloudTrust.of(identity), URI.create("https://localhost:" + cloud.url().getPort()))).isEqualTo(404);
    }

    @Test
    void choosesCertificateAuthoritiesWhenTheyVouchForTheCloudsName() throws Exception {
        cloud = new FakeCloud(List.of("127.0.0.1"));
        CloudTrust authorities = authoritiesTrusting(cloud);

        RecorderIdentity identity = new Activator(Duration.ofSeconds(5), HttpClient.Builder.NO_PROXY, authorities)
                .activate(cloud.url(), cloud.code.text(), SOFTWARE);

        assertThat(identity.trust()).isEqualTo(ActivationProof.PKI_BINDING);
        assertThat(identity.pinnedFingerprint()).isEmpty();
        assertThat(CloudTrust.of(identity, java.util.Optional.of(dir.resolve("ca.pem"))).pinned()).isFalse();
    }

    @Test
    void pinsWhenTheAuthoritiesVouchForAnotherNameOnly() throws Exception {
        cloud = new FakeCloud(List.of("cloud.invalid"));
        CloudTrust authorities = authoritiesTrusting(cloud);

        RecorderIdentity identity = new Activator(Duration.ofSeconds(5), HttpClient.Builder.NO_PROXY, authorities)
                .activate(cloud.url(), cloud.code.text(), SOFTWARE);

        assertThat(identity.pinnedFingerprint()).hasValue(cloud.fingerprint());
        // And the authorities' trust alone would refuse this server under this name.
        assertThatThrownBy(() -> get(authorities, cloud.url())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void refusesAServerThatCannotProveItIssuedTheCode() throws Exception {
        cloud = new FakeCloud(List.of("127.0.0.1"));
        cloud.behaviour = FakeCloud.Behaviour.WRONG_PROOF;

        assertThatThrownBy(() -> activator.activate(cloud.url(), cloud.code.text(), SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("not-the-cloud"))
                .hasMessageContaining("the server at " + cloud.url() + " could not prove it is the cloud that issued this code");
    }

    @Test
    void refusesAnAnswerNamingAnotherCertificateThanTheOneSeen() throws Exception {
        cloud = new FakeCloud(List.of("127.0.0.1"));
        cloud.behaviour = FakeCloud.Behaviour.OTHER_CERTIFICATE;

        assertThatThrownBy(() -> activator.activate(cloud.url(), cloud.code.text(), SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("not-the-cloud"))
                .hasMessageContaining(cloud.fingerprint());
    }

    @Test
    void theCloudsRefusalsBecomeClearErrors() throws Exception {
        cloud = new FakeCloud(List.of("127.0.0.1"));

        cloud.behaviour = FakeCloud.Behaviour.CODE_USED;
        assertThatThrownBy(() -> activator.activate(cloud.url(), cloud.code.text(), SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("code-used"))
                .hasMessageContaining("used on 2026-11-20 by rec-9")
                .hasMessageContaining("create a new one in the cloud under Recorders");

        cloud.behaviour = FakeCloud.Behaviour.CODE_EXPIRED;
        assertThatThrownBy(() -> activator.activate(cloud.url(), cloud.code.text(), SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("code-expired"))
                .hasMessageContaining("expired at 2026-11-22T10:00:00Z");

        cloud.behaviour = FakeCloud.Behaviour.HONEST;
        String otherCode = "00000-00000-00000-00000";
        assertThatThrownBy(() -> activator.activate(cloud.url(), otherCode, SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("bad-code"))
                .hasMessageContaining("no such activation code");

        cloud.behaviour = FakeCloud.Behaviour.NOT_JSON;
        assertThatThrownBy(() -> activator.activate(cloud.url(), cloud.code.text(), SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("bad-answer"))
                .hasMessageContaining("HTTP 502");
    }

    @Test
    void aMistypedCodeIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> activator.activate(URI.create("https://127.0.0.1:1"), "7KQ2M-XR4TD", SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("bad-code"))
                .hasMessageContaining("20 characters");
        assertThatThrownBy(() -> activator.activate(URI.create("http://cloud.example"), "7KQ2M-XR4TD-9HWCA-PZ3NE", SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("bad-url"));
    }

    @Test
    void anUnreachableCloudSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> activator.activate(URI.create("https://127.0.0.1:" + closedPort), "7KQ2M-XR4TD-9HWCA-PZ3NE",
                SOFTWARE))
                .isInstanceOfSatisfying(ActivationException.class, e -> assertThat(e.error()).isEqualTo("unreachable"))
                .hasMessageContaining("cannot reach the cloud at https://127.0.0.1:" + closedPort);
    }

    @Test
    void aPinnedTrustRefusesAnyOtherCertificate() throws Exception {
        cloud = new FakeCloud(List.of("127.0.0.1"));
        CloudTrust other = CloudTrust.pinned("0f".repeat(32));
        assertThatThrownBy(() -> get(other, cloud.url())).isInstanceOf(SSLHandshakeException.class);
        assertThat(get(CloudTrust.pinned(Fingerprint.of(cloud.certificate.certificate())), cloud.url())).isEqualTo(404);
    }

    private CloudTrust authoritiesTrusting(FakeCloud cloud) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, Pem.write(cloud.certificate.certificate()));
        return CloudTrust.authorities(pem);
    }

    private static int get(CloudTrust trust, URI url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust.sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(url.resolve("/status")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
