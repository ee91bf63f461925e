package dev.outpost.cloud.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both object stores behave alike: the directory, and S3 through a real S3 API server (s3proxy) in this JVM. */
class ObjectStoreTest {
    static S3Proxy proxy;
    @TempDir
    static Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStore blobs = BlobStores.create("transient", new Properties());
        blobs.createContainer("outpost-objects");
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "outpost-access", "outpost-secret").build();
        proxy.start();
        await("s3proxy started").atMost(Duration.ofSeconds(20)).until(() -> proxy.getState().equals("STARTED"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        proxy.stop();
    }

    ObjectStore store(String kind) throws Exception {
        return switch (kind) {
            case "directory" -> new DirectoryObjectStore(dir.resolve("objects"));
            case "s3" -> new S3ObjectStore(new S3Settings(URI.create("http://127.0.0.1:" + proxy.getPort()),
                    "us-east-1", "outpost-objects", "outpost-access", "outpost-secret", true));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "s3"})
    void anObjectIsStoredReplacedReadAndDeleted(String kind) throws Exception {
        ObjectStore store = store(kind);
        byte[] jpeg = new byte[200_000];
        for (int i = 0; i < jpeg.length; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        String key = "alert/r" + kind + "/0123456789abcdef0123456789abcdef.jpg";
        assertThat(store.get(key)).isEmpty();
        store.put(key, new byte[] {1});
        store.put(key, jpeg); // the same item stored again replaces it
        assertThat(store.get(key)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(jpeg));
        store.delete(key);
        assertThat(store.get(key)).isEmpty();
        store.delete(key);
        assertThatThrownBy(() -> store.put("../escape", jpeg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an object key");
        assertThatThrownBy(() -> store.get("a//b")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad secret"})
    void aWrongSecretIsAClearError(String secret) {
        S3ObjectStore wrong = new S3ObjectStore(new S3Settings(URI.create("http://127.0.0.1:" + proxy.getPort()),
                "us-east-1", "outpost-objects", "outpost-access", secret, true));
        assertThatThrownBy(() -> wrong.put("x/y.bin", new byte[] {1})).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot store x/y.bin in bucket outpost-objects");
        assertThatThrownBy(() -> new S3Settings(URI.create("http://127.0.0.1:1"), "us-east-1", "Bad_Bucket", "a", "b",
                true)).hasMessageContaining("s3-bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "s3"})
    void aClipSizedFileGoesInWholeAndComesBackInRanges(String kind) throws Exception {
        ObjectStore store = store(kind);
        byte[] clip = new byte[9 * 1024 * 1024 + 5];
        new java.util.Random(3).nextBytes(clip);
        Path file = dir.resolve("clip-" + kind + ".mp4");
        java.nio.file.Files.write(file, clip);
        String key = "clip/r" + kind + "/0123456789abcdef0123456789abcdef.mp4";
        assertThat(store.size(key)).isEmpty();
        assertThat(store.read(key, 0, 10)).isEmpty();

        store.putFile(key, file);
        assertThat(store.size(key)).contains((long) clip.length);
        assertThat(store.read(key, 4_000_000, 100).orElseThrow())
                .isEqualTo(java.util.Arrays.copyOfRange(clip, 4_000_000, 4_000_100));
        assertThat(store.read(key, clip.length - 3, 100).orElseThrow()).as("fewer at the end")
                .isEqualTo(java.util.Arrays.copyOfRange(clip, clip.length - 3, clip.length));
        assertThat(store.get(key).orElseThrow()).isEqualTo(clip);
        store.delete(key);
        assertThat(store.size(key)).isEmpty();
    }
}
