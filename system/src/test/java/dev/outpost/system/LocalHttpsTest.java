package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.api.ConnectView;
import dev.outpost.wire.api.RecorderInfo;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.tls.CertificateAuthority;
import dev.outpost.wire.tls.Pem;
import dev.outpost.wire.tls.RecorderCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder serves its API on the LAN over HTTPS with the certificate the cloud issued at activation for a
 * key the recorder made; a viewer verifies it against the cloud's recorder CA and the recorder's name from the
 * broker, not the address it dialled.
 */
class LocalHttpsTest {

    @Test
    void aLanViewerVerifiesTheRecordersCertificateAgainstTheCloudsCaAndUsesItsGrant(@TempDir Path dir) throws Exception {
        try (Site site = Site.start(dir)) {
            Recorder recorder = site.recorder("Shop", c -> c.withLocal(LocalHttpConfig.defaults()
                    .withBindAddress("0.0.0.0").withPort(0)));
            String id = recorder.identity().recorderId();
            OutpostClient admin = site.admin();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.connect(id).paths().size() > 1);
            ConnectView view = admin.connect(id);
            assertThat(view.certificateName()).isEqualTo(id + ".recorders.outpost.invalid");
            X509Certificate ca = Pem.readCertificates(view.certificateAuthority()).getFirst();
            URI lan = URI.create(view.paths().getFirst().url() + "/api/info");
            assertThat(lan.getScheme()).isEqualTo("https");

            try (HttpClient verified = client(RecorderCertificates.trustManager(ca, id))) {
                HttpResponse<byte[]> info = verified.send(HttpRequest.newBuilder(lan)
                        .header("Authorization", "Bearer " + view.grant()).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(info.statusCode()).isEqualTo(200);
                assertThat(Json.read(info.body(), RecorderInfo.class).recorderId()).isEqualTo(id);
            }
            // A client expecting another recorder, or trusting another CA, refuses the handshake.
            CertificateAuthority stranger = CertificateAuthority.generate("stranger", Duration.ofDays(1));
            for (TrustManager wrong : new TrustManager[] {RecorderCertificates.trustManager(ca, "rsomeoneelse"),
                    RecorderCertificates.trustManager(stranger.certificate(), id)}) {
                try (HttpClient refusing = client(wrong)) {
                    assertThatThrownBy(() -> refusing.send(HttpRequest.newBuilder(lan).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.discarding())).isInstanceOf(SSLHandshakeException.class);
                }
            }
        }
    }

    private static HttpClient client(TrustManager trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
