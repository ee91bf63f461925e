package dev.outpost.cloud.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.accounts.Accounts;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.accounts.TestAccounts;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.Secrets;
import dev.outpost.cloud.store.SharedDatabase;
import dev.outpost.cloud.store.TestBackend;
import dev.outpost.cloud.store.TestClock;
import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.RecorderView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestBackend.class)
class RecorderDirectoryTest {
    private static final String CLOUD_FINGERPRINT = "ab".repeat(32);
    private static final String SOFTWARE = "outpost-recorder 0.1.0";
    private static final Predicate<String> NONE_ONLINE = id -> false;

    static SharedDatabase shared;

    @Parameter
    TestBackend backend;

    final TestClock clock = new TestClock();
    Database database;
    RecorderDirectory directory;
    AuthenticatedUser admin;
    AuthenticatedUser installer;
    AuthenticatedUser viewer;
    /** Admin of another organization. */
    AuthenticatedUser stranger;

    @BeforeParameterizedClassInvocation
    static void startDatabase(TestBackend backend) {
        shared = backend.start();
    }

    @AfterParameterizedClassInvocation
    static void stopDatabase() {
        shared.close();
    }

    @BeforeEach
    void createOrganizationsAndUsers() {
        database = shared.emptied();
        directory = new RecorderDirectory(database, clock);
        Accounts accounts = TestAccounts.create(database, clock);
        accounts.ensureFirstAdmin("admin@example.com", Optional.of("admin password"));
        admin = signIn(accounts, "admin@example.com", "admin password");
        accounts.createUser(admin, new NewUser("installer@example.com", "installer password", "installer"));
        accounts.createUser(admin, new NewUser("viewer@example.com", "viewer password", "viewer"));
        accounts.createOrganization(admin, new NewOrganization("Elsewhere", "boss@elsewhere.example", "boss password"));
        installer = signIn(accounts, "installer@example.com", "installer password");
        viewer = signIn(accounts, "viewer@example.com", "viewer password");
        stranger = signIn(accounts, "boss@elsewhere.example", "boss password");
    }

    @Test
    void installersAndAdminsCreateCodesThatExpireInADay() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("  Front gate "));
        directory.createActivationCode(admin, new NewActivationCode("Back gate"));

        assertThat(view.code()).matches("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}");
        assertThat(view.recorderName()).isEqualTo("Front gate");
        assertThat(view.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        ActivationCode code = ActivationCode.parse(view.code());
        String storedKey = database.jdbi().withHandle(handle -> handle.createQuery(
                "select proof_key from activation_codes where id = :id").bind("id", code.id()).mapTo(String.class).one());
        assertThat(storedKey).isEqualTo(HexFormat.of().formatHex(code.proofKey())).doesNotContain(code.secret());
    }

    @Test
    void viewersCannotCreateCodesAndNamesMustBeGiven() {
        ApiFailure forbidden = failure(() -> directory.createActivationCode(viewer, new NewActivationCode("Gate")));
        ApiFailure unnamed = failure(() -> directory.createActivationCode(installer, new NewActivationCode(" ")));
        ApiFailure missing = failure(() -> directory.createActivationCode(installer, new NewActivationCode(null)));

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.error()).isEqualTo("bad-name");
        assertThat(missing.error()).isEqualTo("bad-name");
    }

    @Test
    void theCodeLifetimeIsConfigurable() {
        RecorderDirectory hourly = new RecorderDirectory(database, clock, Duration.ofHours(1));

        ActivationCodeView view = hourly.createActivationCode(installer, new NewActivationCode("Gate"));

        assertThat(view.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void activationMakesARecorderInTheCodesOrganization() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Front gate"));
        ActivationCode code = ActivationCode.parse(view.code());

        Activation activation = activate(view, CLOUD_FINGERPRINT);

        assertThat(activation.recorderId()).matches("r[a-z2-7]{16}");
        assertThat(activation.recorderName()).isEqualTo("Front gate");
        assertThat(activation.credential()).matches("[A-Za-z0-9_-]{43}");
        assertThat(activation.cloudProof()).isEqualTo(
                ActivationProof.cloudProof(code.proofKey(), CLOUD_FINGERPRINT, activation.recorderId()));
        assertThat(activation.toString()).doesNotContain(activation.credential());
        LinkAdmission admission = directory.admitLink(activation.recorderId(), activation.credential());
        assertThat(admission).isEqualTo(new LinkAdmission(LinkAdmission.Verdict.ACCEPTED, activation.recorderId(),
                installer.organizationId(), "Front gate"));
        assertThat(admission.accepted()).isTrue();
        assertThat(directory.list(viewer, NONE_ONLINE)).containsExactly(new RecorderView(activation.recorderId(),
                "Front gate", installer.organizationId(), false, null, "", "", false, SOFTWARE, false));
        String storedCredential = database.jdbi().withHandle(handle -> handle.createQuery(
                "select credential_hash from recorders").mapTo(String.class).one());
        assertThat(storedCredential).isEqualTo(Secrets.hash(activation.credential()));
    }

    @Test
    void aRecorderVouchedForByCertificateAuthoritiesActivatesToo() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Gate"));
        ActivationCode code = ActivationCode.parse(view.code());

        Activation activation = activate(view, ActivationProof.PKI_BINDING);

        assertThat(activation.cloudProof()).isEqualTo(
                ActivationProof.cloudProof(code.proofKey(), ActivationProof.PKI_BINDING, activation.recorderId()));
    }

    @Test
    void theCodeIdIsReadTheWayPeopleTypeIt() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Gate"));
        ActivationCode code = ActivationCode.parse(view.code());
        String typed = " " + code.id().toLowerCase(Locale.ROOT).replace('0', 'o').replace('1', 'l') + "-";

        Activation activation = directory.activate(new ActivationRequest(typed, CLOUD_FINGERPRINT,
                ActivationProof.recorderProof(code.proofKey(), CLOUD_FINGERPRINT), SOFTWARE), CLOUD_FINGERPRINT);

        assertThat(activation.recorderName()).isEqualTo("Gate");
    }

    @Test
    void wrongProofsUnknownCodesAndForeignCertificatesAreBadCodesThatUseNothingUp() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Gate"));
        ActivationCode code = ActivationCode.parse(view.code());
        ActivationCode other = ActivationCode.parse(
                directory.createActivationCode(installer, new NewActivationCode("Other")).code());
        String interceptor = "cd".repeat(32);

        List<ApiFailure> failures = List.of(
                failure(() -> directory.activate(new ActivationRequest(code.id(), CLOUD_FINGERPRINT,
                        ActivationProof.recorderProof(other.proofKey(), CLOUD_FINGERPRINT), SOFTWARE), CLOUD_FINGERPRINT)),
                failure(() -> directory.activate(new ActivationRequest(code.id(), CLOUD_FINGERPRINT,
                        null, SOFTWARE), CLOUD_FINGERPRINT)),
                failure(() -> directory.activate(new ActivationRequest("ZZZZZ", CLOUD_FINGERPRINT,
                        ActivationProof.recorderProof(code.proofKey(), CLOUD_FINGERPRINT), SOFTWARE), CLOUD_FINGERPRINT)),
                failure(() -> directory.activate(new ActivationRequest("#!?", CLOUD_FINGERPRINT, "x", SOFTWARE),
                        CLOUD_FINGERPRINT)),
                failure(() -> directory.activate(new ActivationRequest(null, null, null, null), CLOUD_FINGERPRINT)),
                failure(() -> directory.activate(new ActivationRequest(code.id(), CLOUD_FINGERPRINT,
                        ActivationProof.recorderProof(code.proofKey(), CLOUD_FINGERPRINT), SOFTWARE), interceptor)));

        assertThat(failures).allSatisfy(failure -> {
            assertThat(failure.status()).isEqualTo(400);
            assertThat(failure.error()).isEqualTo("bad-code");
        });
        assertThat(failures.getFirst().getMessage()).contains("create a new one in the cloud under Recorders");
        assertThat(failures.getLast().getMessage()).contains("certificate");
        assertThat(activate(view, CLOUD_FINGERPRINT).recorderName()).as("still usable").isEqualTo("Gate");
    }

    @Test
    void aCodeActivatesOneRecorderOnly() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Gate"));
        activate(view, CLOUD_FINGERPRINT);

        ApiFailure reused = failure(() -> activate(view, CLOUD_FINGERPRINT));

        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.error()).isEqualTo("code-used");
        assertThat(reused.getMessage()).contains("create a new one in the cloud under Recorders");
        assertThat(directory.list(installer, NONE_ONLINE)).hasSize(1);
    }

    @Test
    void aCodeExpiresAfterItsLifetime() {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Gate"));

        clock.advance(Duration.ofHours(24));
        ApiFailure expired = failure(() -> activate(view, CLOUD_FINGERPRINT));

        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.error()).isEqualTo("code-expired");
        assertThat(expired.getMessage()).isEqualTo("activation code expired: create a new one in the cloud under Recorders");
        assertThat(directory.list(installer, NONE_ONLINE)).isEmpty();
    }

    @Test
    void concurrentActivationsOfOneCodeMakeOneRecorder() throws Exception {
        ActivationCodeView view = directory.createActivationCode(installer, new NewActivationCode("Gate"));
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Activation> activations = new ArrayList<>();
        List<ApiFailure> refusals = new ArrayList<>();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Activation>> results = IntStream.range(0, racers)
                    .mapToObj(i -> threads.submit(() -> {
                        start.await();
                        return activate(view, CLOUD_FINGERPRINT);
                    }))
                    .toList();
            start.countDown();
            for (Future<Activation> result : results) {
                try {
                    activations.add(result.get());
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ApiFailure.class);
                    refusals.add((ApiFailure) e.getCause());
                }
            }
        }

        assertThat(activations).hasSize(1);
        assertThat(refusals).hasSize(racers - 1).allSatisfy(refusal -> assertThat(refusal.error()).isEqualTo("code-used"));
        assertThat(directory.list(installer, NONE_ONLINE)).extracting(RecorderView::id)
                .containsExactly(activations.getFirst().recorderId());
    }

    @Test
    void aRevokedRecorderIsRefusedItsLinkAndItsUsers() {
        Activation gate = activate(directory.createActivationCode(installer, new NewActivationCode("Gate")),
                CLOUD_FINGERPRINT);
        assertThat(directory.mayAccess(viewer, gate.recorderId())).isTrue();

        directory.revoke(installer, gate.recorderId());
        directory.revoke(admin, gate.recorderId());

        assertThat(directory.admitLink(gate.recorderId(), gate.credential()).verdict())
                .isEqualTo(LinkAdmission.Verdict.REVOKED);
        assertThat(directory.mayAccess(viewer, gate.recorderId())).isFalse();
        assertThat(directory.find(viewer, gate.recorderId(), NONE_ONLINE)).hasValueSatisfying(view ->
                assertThat(view.revoked()).isTrue());
    }

    @Test
    void onlyInstallersAndAdminsOfTheOrganizationRevoke() {
        Activation gate = activate(directory.createActivationCode(installer, new NewActivationCode("Gate")),
                CLOUD_FINGERPRINT);

        ApiFailure byViewer = failure(() -> directory.revoke(viewer, gate.recorderId()));
        ApiFailure byStranger = failure(() -> directory.revoke(stranger, gate.recorderId()));
        ApiFailure nonexistent = failure(() -> directory.revoke(admin, "rnothinghere00000"));

        assertThat(byViewer.status()).isEqualTo(403);
        assertThat(byStranger.status()).isEqualTo(404);
        assertThat(byStranger.getMessage()).isEqualTo(nonexistent.getMessage().replace("rnothinghere00000",
                gate.recorderId()));
        assertThat(directory.admitLink(gate.recorderId(), gate.credential()).accepted()).isTrue();
    }

    @Test
    void installersAndAdminsRenameTheirOrganizationsRecorders() {
        Activation gate = activate(directory.createActivationCode(installer, new NewActivationCode("Gate")),
                CLOUD_FINGERPRINT);

        RecorderView renamed = directory.rename(installer, gate.recorderId(), "  North gate ", NONE_ONLINE);

        assertThat(renamed.name()).isEqualTo("North gate");
        assertThat(directory.find(viewer, gate.recorderId(), NONE_ONLINE)).hasValueSatisfying(view ->
                assertThat(view.name()).isEqualTo("North gate"));
        assertThat(failure(() -> directory.rename(viewer, gate.recorderId(), "X", NONE_ONLINE)).status()).isEqualTo(403);
        assertThat(failure(() -> directory.rename(stranger, gate.recorderId(), "X", NONE_ONLINE)).status())
                .isEqualTo(404);
        assertThat(failure(() -> directory.rename(admin, gate.recorderId(), " ", NONE_ONLINE)).error())
                .isEqualTo("bad-name");
    }

    @Test
    void aLinkNeedsTheRecordersOwnCredential() {
        Activation gate = activate(directory.createActivationCode(installer, new NewActivationCode("Gate")),
                CLOUD_FINGERPRINT);
        Activation door = activate(directory.createActivationCode(installer, new NewActivationCode("Door")),
                CLOUD_FINGERPRINT);

        assertThat(directory.admitLink(gate.recorderId(), door.credential()).verdict())
                .isEqualTo(LinkAdmission.Verdict.BAD_CREDENTIAL);
        assertThat(directory.admitLink(gate.recorderId(), null).verdict())
                .isEqualTo(LinkAdmission.Verdict.BAD_CREDENTIAL);
        assertThat(directory.admitLink("rnothinghere00000", gate.credential()))
                .isEqualTo(new LinkAdmission(LinkAdmission.Verdict.UNKNOWN, "rnothinghere00000", "", ""));
        assertThat(directory.admitLink(null, gate.credential()).verdict()).isEqualTo(LinkAdmission.Verdict.UNKNOWN);
    }

    @Test
    void organizationsNeverSeeOrReachEachOthersRecorders() {
        Activation ours = activate(directory.createActivationCode(installer, new NewActivationCode("Ours")),
                CLOUD_FINGERPRINT);
        Activation theirs = activate(directory.createActivationCode(stranger, new NewActivationCode("Theirs")),
                CLOUD_FINGERPRINT);

        assertThat(directory.list(viewer, NONE_ONLINE)).extracting(RecorderView::name).containsExactly("Ours");
        assertThat(directory.list(stranger, NONE_ONLINE)).extracting(RecorderView::name).containsExactly("Theirs");
        assertThat(directory.find(stranger, ours.recorderId(), NONE_ONLINE)).isEmpty();
        assertThat(directory.find(viewer, theirs.recorderId(), NONE_ONLINE)).isEmpty();
        assertThat(directory.find(viewer, ours.recorderId(), NONE_ONLINE)).isPresent();
        assertThat(directory.mayAccess(stranger, ours.recorderId())).isFalse();
        assertThat(directory.mayAccess(viewer, theirs.recorderId())).isFalse();
        assertThat(directory.mayAccess(stranger, theirs.recorderId())).isTrue();
        assertThat(directory.admitLink(theirs.recorderId(), theirs.credential()).organizationId())
                .isEqualTo(stranger.organizationId());
    }

    @Test
    void theViewShowsWhatTheCloudSawOfTheLastLink() {
        Activation gate = activate(directory.createActivationCode(installer, new NewActivationCode("Gate")),
                CLOUD_FINGERPRINT);
        Instant up = Instant.parse("2030-03-01T10:00:00.123456Z");
        Instant down = Instant.parse("2030-03-01T11:30:00Z");

        directory.linkUp(gate.recorderId(), up, "198.51.100.4:50123", "h2", true, "outpost-recorder 0.2.0");
        RecorderView online = directory.find(viewer, gate.recorderId(), gate.recorderId()::equals).orElseThrow();
        directory.linkDown(gate.recorderId(), down);
        RecorderView offline = directory.find(viewer, gate.recorderId(), NONE_ONLINE).orElseThrow();

        assertThat(online).isEqualTo(new RecorderView(gate.recorderId(), "Gate", viewer.organizationId(), true, up,
                "198.51.100.4:50123", "h2", true, "outpost-recorder 0.2.0", false));
        assertThat(offline.online()).isFalse();
        assertThat(offline.since()).isEqualTo(down);
        assertThat(offline.transport()).isEqualTo("h2");
    }

    @Test
    void recordersAreListedByName() {
        for (String name : List.of("gate", "Attic", "Barn")) {
            activate(directory.createActivationCode(installer, new NewActivationCode(name)), CLOUD_FINGERPRINT);
        }

        assertThat(directory.list(viewer, NONE_ONLINE)).extracting(RecorderView::name)
                .containsExactly("Attic", "Barn", "gate");
    }

    private Activation activate(ActivationCodeView view, String binding) {
        ActivationCode code = ActivationCode.parse(view.code());
        return directory.activate(new ActivationRequest(code.id(), binding,
                ActivationProof.recorderProof(code.proofKey(), binding), SOFTWARE), CLOUD_FINGERPRINT);
    }

    private static AuthenticatedUser signIn(Accounts accounts, String email, String password) {
        return accounts.authenticate(accounts.login(email, password, "192.0.2.1").token()).orElseThrow();
    }

    private static ApiFailure failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ApiFailure.class);
        return (ApiFailure) thrown;
    }
}
