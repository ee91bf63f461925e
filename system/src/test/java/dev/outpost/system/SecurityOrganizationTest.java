package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.RelayResponse;
import dev.outpost.recorder.Recorder;
import dev.outpost.wire.api.ApiError;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.OrganizationView;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Organizations do not see each other: another organization's admin cannot list, reach, grant or
 * revoke this organization's recorder, and every such try looks exactly like asking for a recorder
 * that does not exist, so recorder ids cannot be probed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityOrganizationTest {
    static final String OTHER_ADMIN = "boss@elsewhere.test";
    static final String OTHER_PASSWORD = "another long password";
    /** Shaped like a real id (r + 16 base32 characters), but no recorder has it. */
    static final String NO_SUCH_RECORDER = "rzzzzzzzzzzzzzzzz";

    Site site;
    OutpostClient admin;
    OutpostClient outsider;
    Recorder recorder;
    String recorderId;
    HttpClient http;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        site = Site.start(dir);
        admin = site.admin();
        recorder = site.recorder("Head office");
        recorderId = recorder.identity().recorderId();
        http = BadInputSockets.http(site.cloud());

        HttpResponse<String> created = post(admin, "api/organizations",
                Json.write(new NewOrganization("Elsewhere Ltd", OTHER_ADMIN, OTHER_PASSWORD)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        OrganizationView organization = Json.read(created.body().getBytes(StandardCharsets.UTF_8), OrganizationView.class);
        assertThat(organization.name()).isEqualTo("Elsewhere Ltd");
        assertThat(organization.id()).isNotEqualTo(admin.me().organizationId());

        outsider = site.client(OTHER_ADMIN, OTHER_PASSWORD);
        assertThat(outsider.me().organizationId()).isEqualTo(organization.id());
        assertThat(outsider.me().role()).isEqualTo("admin");
    }

    @AfterAll
    void stop() {
        http.close();
        site.close();
    }

    private HttpResponse<String> post(OutpostClient as, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(site.cloud().localUrl().resolve("/" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + as.token().orElseThrow())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The same call for this organization's recorder and for no recorder at all must fail alike. */
    private void failsAsIfItDidNotExist(Consumer<String> call) {
        OutpostException theirs = catchThrowableOfType(OutpostException.class, () -> call.accept(recorderId));
        OutpostException none = catchThrowableOfType(OutpostException.class, () -> call.accept(NO_SUCH_RECORDER));

        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.status()).isEqualTo(none.status());
        assertThat(theirs.error().error()).isEqualTo(none.error().error());
        assertThat(theirs.error().message().replace(recorderId, "ID"))
                .isEqualTo(none.error().message().replace(NO_SUCH_RECORDER, "ID"));
    }

    @Test
    void theOtherOrganizationsRecorderListDoesNotShowIt() {
        assertThat(outsider.recorders()).extracting(RecorderView::id).doesNotContain(recorderId);
        assertThat(admin.recorders()).extracting(RecorderView::id).contains(recorderId);
    }

    @Test
    void readingItAnswers404LikeANonexistentRecorder() {
        failsAsIfItDidNotExist(outsider::recorder);
    }

    @Test
    void relayingToItAnswers404LikeANonexistentRecorder() throws Exception {
        ApiError[] errors = new ApiError[2];
        String[] ids = {recorderId, NO_SUCH_RECORDER};
        for (int i = 0; i < 2; i++) {
            try (RelayResponse response = outsider.relayGet(ids[i], "/api/info")) {
                assertThat(response.status()).isEqualTo(404);
                errors[i] = Json.read(response.body().readAllBytes(), ApiError.class);
            }
        }
        assertThat(errors[0].error()).isEqualTo("not-found").isEqualTo(errors[1].error());
        assertThat(errors[0].message().replace(recorderId, "ID")).isEqualTo(errors[1].message().replace(NO_SUCH_RECORDER, "ID"));
        // The recorder itself never saw those requests: nothing reached it.
        try (RelayResponse own = admin.relayGet(recorderId, "/api/info")) {
            assertThat(own.status()).isEqualTo(200);
        }
    }

    /** OutpostClient sends a whole upload before reading the answer: the 404 must still reach it. */
    @Test
    void relayingAnUploadToItAnswers404() throws Exception {
        try (RelayResponse response = outsider.relaySend(recorderId, "POST", "/api/echo", "application/octet-stream",
                Streams.generated(1024 * 1024, 7))) {
            assertThat(response.status()).isEqualTo(404);
        }
    }

    @Test
    void askingAGrantForItAnswers404LikeANonexistentRecorder() {
        failsAsIfItDidNotExist(outsider::grant);
    }

    @Test
    void revokingItAnswers404AndLeavesItOnline() {
        failsAsIfItDidNotExist(outsider::revoke);

        assertThat(site.cloud().links().isOnline(recorderId)).isTrue();
        RecorderView view = admin.recorder(recorderId);
        assertThat(view.revoked()).isFalse();
        assertThat(view.online()).isTrue();
    }

    @Test
    void theOtherAdminCannotCreateOrganizations() throws Exception {
        HttpResponse<String> response = post(outsider, "api/organizations",
                Json.write(new NewOrganization("Third", "third@elsewhere.test", "yet another password")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("first organization");
    }

    @Test
    void theOtherAdminSeesOnlyTheirOwnUsers() {
        assertThat(outsider.me().email()).isEqualTo(OTHER_ADMIN);
        HttpResponse<String> users;
        try {
            users = http.send(HttpRequest.newBuilder(site.cloud().localUrl().resolve("/api/users"))
                    .header("Authorization", "Bearer " + outsider.token().orElseThrow()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains(OTHER_ADMIN).doesNotContain(Site.ADMIN);
    }

    @Test
    void aRecorderActivatedByTheOtherOrganizationIsTheirsAlone() throws Exception {
        String code = outsider.createActivationCode("Branch office").code();
        try (Recorder theirs = Recorder.start(
                site.recorderConfig(100).withActivation(site.cloud().localUrl(), code))) {
            site.awaitOnline(theirs);
            String theirId = theirs.identity().recorderId();

            assertThat(outsider.recorders()).extracting(RecorderView::id).containsExactly(theirId);
            assertThat(admin.recorders()).extracting(RecorderView::id).doesNotContain(theirId);
            try (RelayResponse response = admin.relayGet(theirId, "/api/info")) {
                assertThat(response.status()).isEqualTo(404);
            }
            try (RelayResponse response = outsider.relayGet(theirId, "/api/info")) {
                assertThat(response.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aViewerMayWatchButNeitherRevokeNorCreateCodesNorUsers() throws Exception {
        HttpResponse<String> created = post(admin, "api/users",
                Json.write(new NewUser("watcher@outpost.test", "a watcher's password", "viewer")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        OutpostClient viewer = site.client("watcher@outpost.test", "a watcher's password");

        try (RelayResponse watched = viewer.relayGet(recorderId, "/api/info")) {
            assertThat(watched.status()).isEqualTo(200);
        }
        OutpostException revoke = catchThrowableOfType(OutpostException.class, () -> viewer.revoke(recorderId));
        assertThat(revoke.status()).isEqualTo(403);
        assertThat(revoke.getMessage()).contains("ask an admin");
        OutpostException code = catchThrowableOfType(OutpostException.class, () -> viewer.createActivationCode("Sneaky"));
        assertThat(code.status()).isEqualTo(403);
        HttpResponse<String> user = post(viewer, "api/users",
                Json.write(new NewUser("sneaky@outpost.test", "a sneaky password", "admin")));
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(site.cloud().links().isOnline(recorderId)).isTrue();
    }

    @Test
    void anOrganizationWithABadBodyIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> shortPassword = post(admin, "api/organizations",
                Json.write(new NewOrganization("Fourth", "fourth@elsewhere.test", "short")));
        assertThat(shortPassword.statusCode()).isEqualTo(400);
        assertThat(shortPassword.body()).contains("bad-password");

        HttpResponse<String> taken = post(admin, "api/organizations",
                Json.write(new NewOrganization("Fifth", OTHER_ADMIN, OTHER_PASSWORD)));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("email-taken");

        HttpResponse<String> noName = post(admin, "api/organizations",
                Json.write(new NewOrganization(" ", "sixth@elsewhere.test", OTHER_PASSWORD)));
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("bad-name");
    }
}
