package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.cloud.objects.S3Settings;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.api.AlertView;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cloud configured with an S3-compatible store (s3proxy, a real S3 API in this JVM) keeps alert images there. */
class S3ObjectsTest {

    @Test
    void alertImagesGoToTheBucketAndAreServedFromIt(@TempDir Path dir) throws Exception {
        BlobStore blobs = BlobStores.create("transient", new Properties());
        blobs.createContainer("outpost-site");
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "site-access", "site-secret").build();
        proxy.start();
        try {
            await("s3proxy started").atMost(Duration.ofSeconds(20)).until(() -> proxy.getState().equals("STARTED"));
            S3Settings s3 = new S3Settings(URI.create("http://127.0.0.1:" + proxy.getPort()), "us-east-1", "outpost-site",
                    "site-access", "site-secret", true);
            try (Site site = Site.start(dir, config -> config.withS3(Optional.of(s3)))) {
                Recorder recorder = site.recorder("Store", OutboxDeliveryTest.FAST_HEALTH);
                String id = recorder.identity().recorderId();
                byte[] image = {(byte) 0xff, (byte) 0xd8, 1, 2, 3, (byte) 0xff, (byte) 0xd9};
                OutboxDeliveryTest.addAlert(recorder, "camera cam-1 offline", image);
                OutpostClient admin = site.admin();
                await("the alert").atMost(Duration.ofSeconds(20)).until(() -> OutboxDeliveryTest.alerts(admin, id)
                        .stream().anyMatch(a -> a.message().equals("camera cam-1 offline")));
                AlertView alert = OutboxDeliveryTest.alerts(admin, id).stream()
                        .filter(a -> a.message().equals("camera cam-1 offline")).findFirst().orElseThrow();
                assertThat(admin.alertImage(alert.id())).isEqualTo(image);
                assertThat(blobs.list("outpost-site").contents()).as("in the bucket, not on the cloud's disk")
                        .extracting(object -> object.key()).singleElement().asString()
                        .matches("alert/" + id + "/[0-9a-f]{32}\\.jpg");
                assertThat(dir.resolve("cloud/objects")).doesNotExist();
            }
        } finally {
            proxy.stop();
        }
    }
}
