package dev.outpost.cloud.clips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.objects.DirectoryObjectStore;
import dev.outpost.cloud.objects.ObjectStore;
import dev.outpost.cloud.outbox.Inbox;
import dev.outpost.cloud.recorders.TwoOrganizations;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.SharedDatabase;
import dev.outpost.cloud.store.TestBackend;
import dev.outpost.cloud.store.TestClock;
import dev.outpost.wire.api.ClipShareView;
import dev.outpost.wire.api.ClipView;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ClipFacts;
import dev.outpost.wire.outbox.OutboxEnvelope;
import dev.outpost.wire.outbox.OutboxKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The clip library: a clip stored once, seen only by its organization, shared until the link expires, deleted. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestBackend.class)
class ClipsTest {
    static SharedDatabase shared;

    @Parameter
    TestBackend backend;
    @org.junit.jupiter.api.io.TempDir
    Path dir;

    final TestClock clock = new TestClock();
    Database database;
    ObjectStore objects;
    Clips clips;
    Inbox inbox;
    AuthenticatedUser admin;
    AuthenticatedUser viewer;
    AuthenticatedUser stranger;
    String recorder;

    @BeforeParameterizedClassInvocation
    static void startDatabase(TestBackend backend) {
        shared = backend.start();
    }

    @AfterParameterizedClassInvocation
    static void stopDatabase() {
        shared.close();
    }

    @BeforeEach
    void organizationsAndARecorder() throws Exception {
        database = shared.emptied();
        TwoOrganizations people = TwoOrganizations.create(database, clock);
        admin = people.admin();
        viewer = people.viewer();
        stranger = people.stranger();
        recorder = people.activatedRecorder(admin, "Gate");
        objects = new DirectoryObjectStore(dir.resolve("objects"));
        clips = new Clips(database, clock, objects);
        inbox = new Inbox(database, clock, objects, new dev.outpost.cloud.alerts.Alerts(database, clock, objects),
                new dev.outpost.cloud.images.CameraImages(database, clock, objects),
                new dev.outpost.cloud.backups.ConfigBackups(database, clock, objects,
                        new dev.outpost.cloud.links.LinkRegistry(), new dev.outpost.cloud.grants.GrantIssuer(
                        java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
                        Duration.ofMinutes(5), clock)), clips);
    }

    /** Stores a clip of {@code bytes} as outbox item {@code key} would bring it. */
    private Inbox.Outcome receive(String key, byte[] bytes) throws Exception {
        Path file = dir.resolve(key + ".mp4");
        Files.write(file, bytes);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(bytes));
        ClipFacts facts = new ClipFacts("e" + key.substring(0, 4), "front", Instant.parse("2026-11-23T10:00:00Z"),
                Instant.parse("2026-11-23T10:01:00Z"), 60_000, 1920, 1080, bytes.length, sha);
        OutboxEnvelope item = new OutboxEnvelope(key, OutboxKind.CLIP_PART.label(), clock.instant(),
                new String(Json.write(facts), StandardCharsets.UTF_8), bytes.length, "video/mp4");
        return inbox.receiveClip(recorder, item, facts, file);
    }

    @Test
    void aClipSentTwiceIsKeptOnceAndSeenOnlyByItsOrganization() throws Exception {
        byte[] mp4 = "not really an mp4, but bytes all the same".getBytes(StandardCharsets.US_ASCII);
        assertThat(receive("a".repeat(32), mp4)).isEqualTo(Inbox.Outcome.STORED);
        assertThat(receive("a".repeat(32), mp4)).isEqualTo(Inbox.Outcome.DUPLICATE);

        List<ClipView> listed = clips.list(viewer, Optional.empty(), Optional.empty(), 0);
        assertThat(listed).singleElement().satisfies(clip -> {
            assertThat(clip.recorderId()).isEqualTo(recorder);
            assertThat(clip.cameraId()).isEqualTo("front");
            assertThat(clip.width()).isEqualTo(1920);
            assertThat(clip.durationMillis()).isEqualTo(60_000);
            assertThat(clip.bytes()).isEqualTo(mp4.length);
        });
        assertThat(clips.list(viewer, Optional.of(recorder), Optional.of("front"), 10)).hasSize(1);
        assertThat(clips.list(viewer, Optional.of(recorder), Optional.of("back"), 10)).isEmpty();
        String id = listed.getFirst().id();
        assertThat(clips.read(clips.find(viewer, id), 4, 6)).isEqualTo("really".getBytes(StandardCharsets.US_ASCII));
        assertThat(clips.usage(admin).bytes()).isEqualTo(mp4.length);
        assertThat(clips.usage(admin).clips()).isEqualTo(1);

        assertThat(clips.list(stranger, Optional.empty(), Optional.empty(), 0)).isEmpty();
        assertThat(clips.usage(stranger).bytes()).isZero();
        assertThat(failure(() -> clips.find(stranger, id)).status()).isEqualTo(404);
        assertThat(failure(() -> clips.share(stranger, id, 10)).status()).isEqualTo(404);
        assertThat(failure(() -> clips.delete(stranger, id)).status()).isEqualTo(404);
        assertThat(failure(() -> clips.delete(viewer, id)).status()).isEqualTo(403);
    }

    @Test
    void aShareLinkPlaysTheClipUntilItExpiresAndADeletedClipIsGone() throws Exception {
        receive("b".repeat(32), new byte[] {1, 2, 3});
        String id = clips.list(admin, Optional.empty(), Optional.empty(), 0).getFirst().id();
        assertThat(failure(() -> clips.share(viewer, id, 10)).status()).isEqualTo(403);
        assertThat(failure(() -> clips.share(admin, id, 10081)).error()).isEqualTo("bad-body");

        ClipShareView share = clips.share(admin, id, 60);
        assertThat(share.url()).isEqualTo("/api/shared/" + share.token() + "/video.mp4");
        assertThat(share.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(60)));
        assertThat(clips.shared(share.token()).id()).isEqualTo(id);

        clock.advance(Duration.ofMinutes(59));
        assertThat(clips.shared(share.token()).id()).isEqualTo(id);
        clock.advance(Duration.ofMinutes(1));
        ApiFailure expired = failure(() -> clips.shared(share.token()));
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.error()).isEqualTo("share-expired");
        assertThat(failure(() -> clips.shared("x".repeat(32))).status()).isEqualTo(404);
        assertThat(failure(() -> clips.shared("../../etc")).status()).isEqualTo(404);

        ClipShareView fresh = clips.share(admin, id, 0);
        assertThat(fresh.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        String objectKey = clips.find(admin, id).objectKey();
        clips.delete(admin, id);
        assertThat(failure(() -> clips.find(admin, id)).status()).isEqualTo(404);
        assertThat(failure(() -> clips.shared(fresh.token())).status()).isEqualTo(404);
        assertThat(objects.size(objectKey)).isEmpty();
        assertThat(clips.usage(admin).clips()).isZero();
    }

    private static ApiFailure failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ApiFailure.class);
        return (ApiFailure) thrown;
    }
}
