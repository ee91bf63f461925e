package dev.outpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.api.RecorderView;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutpostClientTest {
    private TestCloud cloud;
    private OutpostClient client;

    @BeforeEach
    void start() throws Exception {
        cloud = new TestCloud();
        client = OutpostClient.builder(cloud.uri()).trust(CloudTrust.pinned(cloud.fingerprint())).build();
    }

    @AfterEach
    void stop() {
        client.close();
        cloud.close();
    }

    @Test
    void loginGivesTheUserAndTheClientUsesTheNewSession() {
        LoginResponse login = client.login(TestCloud.EMAIL, TestCloud.PASSWORD);

        assertThat(login.user()).isEqualTo(TestCloud.USER);
        assertThat(login.expiresAt()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(client.token()).contains(TestCloud.TOKEN);
        assertThat(client.me().organizationName()).isEqualTo("Acme");
        assertThat(cloud.authorizations).containsEntry("/api/me", "Bearer " + TestCloud.TOKEN);
    }

    @Test
    void wrongPasswordIsABadLoginWithTheServersSentence() {
        assertThatThrownBy(() -> client.login(TestCloud.EMAIL, "wrong"))
                .isInstanceOfSatisfying(OutpostException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error().error()).isEqualTo("bad-login");
                })
                .hasMessage("wrong email or password (POST /api/login: 401 bad-login)");
        assertThat(client.token()).isEmpty();
    }

    @Test
    void slowDownSaysWhenToTryAgain() {
        assertThatThrownBy(() -> client.login("slow@example.com", "x"))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)))
                .hasMessageContaining("try again in 30 s");
    }

    @Test
    void recordersAreListedAndFetchedOneByOne() {
        client.login(TestCloud.EMAIL, TestCloud.PASSWORD);

        List<RecorderView> recorders = client.recorders();

        assertThat(recorders).containsExactly(TestCloud.FRONT_DOOR, TestCloud.GARAGE);
        assertThat(client.recorder("r-1")).isEqualTo(TestCloud.FRONT_DOOR);
        assertThatThrownBy(() -> client.recorder("nope"))
                .isInstanceOfSatisfying(OutpostException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("no such recorder");
    }

    @Test
    void activationCodeIsMadeForTheNamedRecorder() {
        client.login(TestCloud.EMAIL, TestCloud.PASSWORD);

        ActivationCodeView code = client.createActivationCode("back-yard");

        assertThat(code.code()).isEqualTo("7KQ2M-XR4TD-9HWCA-PZ3NE");
        assertThat(code.recorderName()).isEqualTo("back-yard");
    }

    @Test
    void afterLogoutTheSessionIsRefusedWithAHintToLogInAgain() {
        OutpostClient other = OutpostClient.builder(cloud.uri()).trust(CloudTrust.pinned(cloud.fingerprint()))
                .token(TestCloud.TOKEN).build();
        client.login(TestCloud.EMAIL, TestCloud.PASSWORD);

        client.logout();

        assertThat(client.token()).isEmpty();
        assertThatThrownBy(client::me).isInstanceOf(IllegalStateException.class).hasMessageContaining("not logged in");
        assertThatThrownBy(other::me)
                .isInstanceOfSatisfying(OutpostException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("log in again");
        other.close();
    }

    @Test
    void refusedConnectionNamesTheUrl() throws Exception {
        URI nobody = URI.create("https://127.0.0.1:" + TestCloud.closedPort());
        try (OutpostClient offline = OutpostClient.builder(nobody).build()) {
            assertThatThrownBy(() -> offline.login("a@b.c", "x"))
                    .isInstanceOf(CloudUnreachableException.class)
                    .hasMessage("cannot reach " + nobody + "/api/login: connection refused (is the cloud running, and is "
                            + nobody.getPort() + " its port?)");
        }
    }

    @Test
    void relayGetReturnsAtTheHeadersOfAnEndlessBodyAndClosingStopsTheRecorder() {
        client.login(TestCloud.EMAIL, TestCloud.PASSWORD);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RelayResponse response = client.relayGet("r-1", "/api/stream?rate=1000000").requireSuccess()) {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.contentType()).contains("application/octet-stream");
                assertThat(response.contentLength()).isEmpty();
                byte[] start = response.body().readNBytes(64 * 1024);
                assertThat(start).hasSize(64 * 1024);
                assertThat(start[4097]).isEqualTo((byte) 1);
            }
            assertThat(cloud.streamAbandoned.await(15, TimeUnit.SECONDS))
                    .as("the recorder's stream noticed the viewer left").isTrue();
        });
    }

    @Test
    void relayPassesPathAndQueryAndReportsTheRelaysErrors() throws Exception {
        client.login(TestCloud.EMAIL, TestCloud.PASSWORD);
        try (RelayResponse info = client.relayGet("r-1", "api/info?verbose=1")) {
            assertThat(new String(info.body().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("\"query\":\"verbose=1\"");
        }
        RelayResponse offline = client.relayGet("r-2", "api/info");
        assertThat(offline.status()).isEqualTo(502);
        assertThatThrownBy(offline::requireSuccess)
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.error().error()).isEqualTo("recorder-offline"))
                .hasMessage("recorder garage is not connected (GET /relay/r-2/api/info: 502 recorder-offline)");
        assertThatThrownBy(() -> client.relayGet("r-1", "api/../../api/users"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relaySendStreamsTheUploadAsItIsProduced() throws Exception {
        client.login(TestCloud.EMAIL, TestCloud.PASSWORD);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            PipedOutputStream producer = new PipedOutputStream();
            InputStream upload = new PipedInputStream(producer, 64 * 1024);
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                CompletableFuture<RelayResponse> sent = CompletableFuture.supplyAsync(
                        () -> client.relaySend("r-1", "post", "api/echo", "text/plain", upload), executor);

                producer.write("first ".getBytes(StandardCharsets.UTF_8));
                producer.flush();
                byte[] arrived = cloud.uploadReads.poll(15, TimeUnit.SECONDS);
                assertThat(arrived).as("the recorder got the first part while the upload was still open")
                        .isNotNull();
                assertThat(new String(arrived, StandardCharsets.UTF_8)).isEqualTo("first ");

                producer.write("second".getBytes(StandardCharsets.UTF_8));
                producer.close();
                try (RelayResponse echoed = sent.get(15, TimeUnit.SECONDS).requireSuccess()) {
                    assertThat(echoed.contentType()).contains("text/plain");
                    assertThat(new String(echoed.body().readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("first second");
                }
            }
        });
    }

    @Test
    void recorderIdsAreEncodedAsOnePathSegment() {
        assertThat(OutpostClient.segment("front door/1")).isEqualTo("front%20door%2F1");
        assertThatThrownBy(() -> OutpostClient.segment("..")).isInstanceOf(IllegalArgumentException.class);
    }
}
