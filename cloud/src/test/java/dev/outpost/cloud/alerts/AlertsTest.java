package dev.outpost.cloud.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.backups.ConfigBackups;
import dev.outpost.cloud.objects.DirectoryObjectStore;
import dev.outpost.cloud.outbox.Inbox;
import dev.outpost.cloud.recorders.TwoOrganizations;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.SharedDatabase;
import dev.outpost.cloud.store.TestBackend;
import dev.outpost.cloud.store.TestClock;
import dev.outpost.wire.api.AlertRuleView;
import dev.outpost.wire.api.AlertView;
import dev.outpost.wire.api.NewAlertRule;
import dev.outpost.wire.json.Json;
import dev.outpost.wire.outbox.ConfigBackup;
import dev.outpost.wire.outbox.HealthAlert;
import dev.outpost.wire.outbox.OutboxEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The inbox keeps each outbox item once; alerts are kept per organization; rules say who gets which by email. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestBackend.class)
class AlertsTest {
    static SharedDatabase shared;

    @Parameter
    TestBackend backend;
    @TempDir
    Path objectsDir;

    final TestClock clock = new TestClock();
    Database database;
    Alerts alerts;
    Inbox inbox;
    ConfigBackups backups;
    AuthenticatedUser admin;
    AuthenticatedUser viewer;
    AuthenticatedUser stranger;
    String recorder;
    String strangersRecorder;

    @BeforeParameterizedClassInvocation
    static void startDatabase(TestBackend backend) {
        shared = backend.start();
    }

    @AfterParameterizedClassInvocation
    static void stopDatabase() {
        shared.close();
    }

    @BeforeEach
    void organizationsWithARecorderEach() throws Exception {
        database = shared.emptied();
        TwoOrganizations people = TwoOrganizations.create(database, clock);
        admin = people.admin();
        viewer = people.viewer();
        stranger = people.stranger();
        recorder = people.activatedRecorder(admin, "Gate");
        strangersRecorder = people.activatedRecorder(stranger, "Far");
        alerts = new Alerts(database, clock, new DirectoryObjectStore(objectsDir));
        backups = new ConfigBackups(database, clock, new DirectoryObjectStore(objectsDir),
                new dev.outpost.cloud.links.LinkRegistry(), new dev.outpost.cloud.grants.GrantIssuer(
                        java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
                        java.time.Duration.ofMinutes(5), clock));
        inbox = new Inbox(database, clock, new DirectoryObjectStore(objectsDir), alerts,
                new dev.outpost.cloud.images.CameraImages(database, clock, new DirectoryObjectStore(objectsDir)),
                backups);
    }

    @Test
    void anItemSentTwiceIsKeptOnceWithItsImageAndOneEmailPerMatchingAddress() throws Exception {
        alerts.addRule(admin, new NewAlertRule("Ops@Example.com", List.of(HealthAlert.CAMERA_OFFLINE), ""));
        alerts.addRule(admin, new NewAlertRule("ops@example.com", List.of("*"), recorder));
        alerts.addRule(admin, new NewAlertRule("disk@example.com", List.of(HealthAlert.DISK_NEARLY_FULL), ""));
        OutboxEnvelope item = alert("a".repeat(32), HealthAlert.CAMERA_OFFLINE, "camera gate offline", 3);
        byte[] image = {(byte) 0xff, (byte) 0xd8, 7};

        assertThat(inbox.receive(recorder, item, image)).isEqualTo(Inbox.Outcome.STORED);
        assertThat(inbox.receive(recorder, item, image)).isEqualTo(Inbox.Outcome.DUPLICATE);

        List<AlertView> history = alerts.history(viewer, Optional.empty(), Optional.empty(), 100);
        assertThat(history).singleElement().satisfies(a -> {
            assertThat(a.message()).isEqualTo("camera gate offline");
            assertThat(a.recorderName()).isEqualTo("Gate");
            assertThat(a.imageUrl()).isEqualTo("/api/alerts/" + a.id() + "/image.jpg");
        });
        assertThat(alerts.image(viewer, history.getFirst().id())).containsExactly(image);
        assertThat(alerts.emailCounts()).containsExactly(java.util.Map.entry("pending", 1));
        assertThat(alerts.dueEmails(10)).singleElement().satisfies(e -> assertThat(e.email()).isEqualTo("ops@example.com"));
        assertThat(inbox.receipts(recorder)).containsExactly(java.util.Map.entry("alert", 1));
    }

    @Test
    void historyIsPerOrganizationAndFiltersByRecorderAndTime() throws Exception {
        inbox.receive(recorder, alert("1".repeat(32), HealthAlert.CAMERA_OFFLINE, "old", 0), new byte[0]);
        clock.advance(java.time.Duration.ofHours(1));
        Instant later = clock.instant();
        inbox.receive(recorder, alert("2".repeat(32), HealthAlert.LINK_RESTORED, "new", 0), new byte[0]);
        inbox.receive(strangersRecorder, alert("3".repeat(32), HealthAlert.CAMERA_OFFLINE, "theirs", 0), new byte[0]);

        assertThat(alerts.history(admin, Optional.empty(), Optional.empty(), 100)).extracting(AlertView::message)
                .containsExactly("new", "old");
        assertThat(alerts.history(admin, Optional.of(recorder), Optional.of(later), 100)).extracting(AlertView::message)
                .containsExactly("new");
        assertThat(alerts.history(stranger, Optional.empty(), Optional.empty(), 100)).extracting(AlertView::message)
                .containsExactly("theirs");
        assertThat(failure(() -> alerts.history(stranger, Optional.of(recorder), Optional.empty(), 10)).status())
                .isEqualTo(404);
        assertThat(failure(() -> alerts.history(admin, Optional.empty(), Optional.empty(), 0)).error())
                .isEqualTo("bad-parameter");
        String theirs = alerts.history(stranger, Optional.empty(), Optional.empty(), 1).getFirst().id();
        assertThat(failure(() -> alerts.image(admin, theirs)).status()).isEqualTo(404);
    }

    @Test
    void alertsAndTheirImagesAreKeptNinetyDaysAndReceiptsLonger() throws Exception {
        OutboxEnvelope old = alert("4".repeat(32), HealthAlert.CAMERA_OFFLINE, "old", 0);
        inbox.receive(recorder, old, new byte[] {1, 2, 3});
        String oldId = alerts.history(admin, Optional.empty(), Optional.empty(), 10).getFirst().id();
        clock.advance(java.time.Duration.ofDays(60));
        inbox.receive(recorder, alert("5".repeat(32), HealthAlert.CAMERA_OFFLINE, "recent", 0), new byte[] {4});
        clock.advance(java.time.Duration.ofDays(31));

        assertThat(alerts.prune()).isEqualTo(1);
        assertThat(alerts.history(admin, Optional.empty(), Optional.empty(), 10)).extracting(AlertView::message)
                .containsExactly("recent");
        assertThat(failure(() -> alerts.image(admin, oldId)).status()).isEqualTo(404);
        assertThat(new DirectoryObjectStore(objectsDir).get(Alerts.objectKey(recorder, "alert", old.key(), ".jpg")))
                .as("its image is gone from the object store").isEmpty();
        assertThat(inbox.receive(recorder, old, new byte[] {1, 2, 3})).as("its receipt is kept")
                .isEqualTo(Inbox.Outcome.DUPLICATE);
        assertThat(alerts.prune()).isZero();
    }

    @Test
    void onlyAdminsChangeRulesAndBadRulesAreRefusedByField() {
        assertThat(failure(() -> alerts.addRule(viewer, new NewAlertRule("a@example.com", List.of(), ""))).status())
                .isEqualTo(403);
        assertThat(failure(() -> alerts.addRule(admin, new NewAlertRule("not an address", List.of(), ""))).error())
                .isEqualTo("bad-email");
        assertThat(failure(() -> alerts.addRule(admin, new NewAlertRule("a@example.com", List.of("fire"), ""))).error())
                .isEqualTo("bad-type");
        assertThat(failure(() -> alerts.addRule(admin, new NewAlertRule("a@example.com", List.of(),
                strangersRecorder))).status()).isEqualTo(404);

        AlertRuleView rule = alerts.addRule(admin, new NewAlertRule("a@example.com", List.of(), ""));
        assertThat(rule.types()).containsExactly("*");
        assertThat(alerts.rules(viewer)).containsExactly(rule);
        assertThat(alerts.rules(stranger)).isEmpty();
        assertThat(failure(() -> alerts.removeRule(stranger, rule.id())).status()).isEqualTo(404);
        alerts.removeRule(admin, rule.id());
        assertThat(alerts.rules(admin)).isEmpty();
    }

    @Test
    void aConfigBackupIsStoredOnceSealedAndListedForItsOrganizationOnly() throws Exception {
        ConfigBackup backup = new ConfigBackup(ConfigBackup.FORMAT, recorder, clock.instant(), List.of(
                new ConfigBackup.Camera("gate", "Gate", "rtsp://admin:gate-secret@10.1.1.1/main",
                        "rtsp://admin:gate-secret@10.1.1.1/sub", "tcp")));
        OutboxEnvelope item = new OutboxEnvelope("c".repeat(32), "config-backup", clock.instant(), "{\"cameras\":1}",
                backup.toJson().length, "application/json");
        assertThat(inbox.receive(recorder, item, backup.toJson())).isEqualTo(Inbox.Outcome.STORED);
        assertThat(inbox.receive(recorder, item, backup.toJson())).isEqualTo(Inbox.Outcome.DUPLICATE);

        assertThat(backups.list(admin, recorder)).singleElement().satisfies(view -> {
            assertThat(view.cameras()).isEqualTo(1);
            assertThat(view.takenAt()).isEqualTo(backup.takenAt());
        });
        try (var files = java.nio.file.Files.walk(objectsDir)) {
            List<Path> stored = files.filter(java.nio.file.Files::isRegularFile).toList();
            assertThat(stored).hasSize(1);
            assertThat(java.nio.file.Files.readString(stored.getFirst())).contains("Gate").doesNotContain("gate-secret",
                    "admin:", "10.1.1.1");
        }
        assertThatThrownBy(() -> backups.list(stranger, recorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("no recorder");
        assertThatThrownBy(() -> backups.request(viewer, recorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("admin or installer");
        assertThatThrownBy(() -> backups.request(admin, recorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("offline");
        String backupId = backups.list(admin, recorder).getFirst().id();
        assertThatThrownBy(() -> backups.restore(stranger, backupId, strangersRecorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("no config backup");
        assertThatThrownBy(() -> backups.restore(admin, backupId, strangersRecorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("no recorder");
        assertThatThrownBy(() -> backups.restore(viewer, backupId, recorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("admin or installer");
        assertThatThrownBy(() -> backups.restore(admin, backupId, recorder)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("offline");
        assertThatThrownBy(() -> inbox.receive(recorder, new OutboxEnvelope("d".repeat(32), "config-backup",
                clock.instant(), "{}", 2, "application/json"), "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format 0");
    }

    private OutboxEnvelope alert(String key, String type, String message, long down) {
        HealthAlert alert = new HealthAlert(type, "gate", message, clock.instant(), down);
        return new OutboxEnvelope(key, "alert", clock.instant(), new String(Json.write(alert), StandardCharsets.UTF_8),
                0, "image/jpeg");
    }

    private static ApiFailure failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ApiFailure.class);
        return (ApiFailure) thrown;
    }
}
