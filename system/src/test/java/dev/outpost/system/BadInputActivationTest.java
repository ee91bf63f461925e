package dev.outpost.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.outpost.client.OutpostClient;
import dev.outpost.cloud.CloudConfig;
import dev.outpost.recorder.Recorder;
import dev.outpost.recorder.RecorderConfig;
import dev.outpost.recorder.identity.ActivationException;
import dev.outpost.recorder.identity.Activator;
import dev.outpost.recorder.identity.CloudTrust;
import dev.outpost.recorder.identity.RecorderIdentity;
import dev.outpost.recorder.local.LocalHttpConfig;
import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.api.ActivationCodeView;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activation codes an installer gets wrong: unknown, mistyped, used twice, expired, malformed. Each
 * gets an error word a program can act on and a sentence that tells the person what to do, and none
 * of them costs the cloud a code or the recorder its identity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputActivationTest {
    private static final String SOFTWARE = "bad-input-test/1";
    private static final String WHAT_TO_DO = "create a new one in the cloud under Recorders";

    Site site;
    OutpostClient admin;
    Activator activator;
    URI cloud;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        site = Site.start(dir);
        cloud = site.cloud().localUrl();
        admin = site.admin();
        activator = new Activator(Duration.ofSeconds(10), HttpClient.Builder.NO_PROXY, CloudTrust.platform());
    }

    @AfterAll
    void stop() {
        site.close();
    }

    private String newCode(String name) {
        return admin.createActivationCode(name).code();
    }

    @Test
    void aWellFormedButUnknownCodeIsRefusedAsBadCodeWithWhatToDo() {
        String unknown = ActivationCode.generate(new SecureRandom()).text();

        ActivationException refused = catchThrowableOfType(ActivationException.class,
                () -> activator.activate(cloud, unknown, SOFTWARE));

        assertThat(refused.error()).isEqualTo("bad-code");
        assertThat(refused.getMessage()).contains("not recognised").contains(WHAT_TO_DO);
    }

    @Test
    void aMistypedSecretIsRefusedAndTheRealCodeStillWorksAfterwards() throws Exception {
        String code = newCode("Mistyped");
        String compact = code.replace("-", "");
        char last = compact.charAt(compact.length() - 1);
        String mistyped = compact.substring(0, compact.length() - 1) + (last == 'Z' ? 'Y' : 'Z');

        ActivationException refused = catchThrowableOfType(ActivationException.class,
                () -> activator.activate(cloud, mistyped, SOFTWARE));
        assertThat(refused.error()).isEqualTo("bad-code");
        assertThat(refused.getMessage()).contains(WHAT_TO_DO);

        // The failed try did not burn the code: typed right, it activates.
        RecorderIdentity identity = activator.activate(cloud, code, SOFTWARE);
        assertThat(identity.name()).isEqualTo("Mistyped");
    }

    @Test
    void aCodeTypedInLowercaseWithSpacesStillActivates() throws Exception {
        String code = newCode("Typed loosely");
        String loose = "  " + code.toLowerCase().replace("-", " ") + " ";

        assertThat(activator.activate(cloud, loose, SOFTWARE).name()).isEqualTo("Typed loosely");
    }

    @Test
    void aCodeUsedTwiceIsRefusedAsCodeUsed() throws Exception {
        String code = newCode("Once only");
        RecorderIdentity first = activator.activate(cloud, code, SOFTWARE);

        ActivationException refused = catchThrowableOfType(ActivationException.class,
                () -> activator.activate(cloud, code, SOFTWARE));

        assertThat(refused.error()).isEqualTo("code-used");
        assertThat(refused.getMessage()).contains("already used").contains(WHAT_TO_DO);
        // Only the first activation made a recorder.
        assertThat(admin.recorders()).filteredOn(r -> r.name().equals("Once only"))
                .singleElement().satisfies(r -> assertThat(r.id()).isEqualTo(first.recorderId()));
    }

    @Test
    void malformedCodesAreRefusedBeforeAnyNetworkCall() {
        // Port 1 on loopback: nothing listens, so reaching the network would say "unreachable" instead.
        URI nowhere = URI.create("https://127.0.0.1:1");
        String[] malformed = {"ABC", "7KQ2M-XR4TD-9HWCA-PZ3NE-XXXXX", "7KQ2M-XR4TD-9HWCA-PZ3N!", "", "ÄKQ2M-XR4TD-9HWCA-PZ3NE"};
        for (String typed : malformed) {
            ActivationException refused = catchThrowableOfType(ActivationException.class,
                    () -> activator.activate(nowhere, typed, SOFTWARE));
            assertThat(refused.error()).as("error for %s", typed).isEqualTo("bad-code");
            assertThat(refused.getMessage()).as("message for %s", typed)
                    .contains("copy it again from the cloud's Recorders page");
        }
        ActivationException tooShort = catchThrowableOfType(ActivationException.class,
                () -> activator.activate(nowhere, "ABC", SOFTWARE));
        assertThat(tooShort.getMessage()).contains("20 characters").contains("has 3");
        ActivationException badCharacter = catchThrowableOfType(ActivationException.class,
                () -> activator.activate(nowhere, "7KQ2M-XR4TD-9HWCA-PZ3N!", SOFTWARE));
        assertThat(badCharacter.getMessage()).contains("'!'");
    }

    @Test
    void aRecorderStartedWithABadCodeFailsClearlyAndSavesNoIdentity(@TempDir Path data) {
        RecorderConfig config = RecorderConfig.defaults(data)
                .withLocal(LocalHttpConfig.defaults().withPort(0))
                .withActivation(cloud, ActivationCode.generate(new SecureRandom()).text());

        ActivationException refused = catchThrowableOfType(ActivationException.class, () -> Recorder.start(config));

        assertThat(refused.error()).isEqualTo("bad-code");
        assertThat(refused.getMessage()).contains(WHAT_TO_DO);
        assertThat(data.resolve(RecorderIdentity.FILE_NAME)).doesNotExist();
    }

    @Test
    void aFailedReactivationLeavesTheRecordersIdentityAsItWas(@TempDir Path data) throws Exception {
        String used = newCode("Keeps its identity");
        RecorderIdentity original = activator.activate(cloud, used, SOFTWARE);
        original.save(data);
        byte[] before = Files.readAllBytes(data.resolve(RecorderIdentity.FILE_NAME));

        RecorderConfig config = RecorderConfig.defaults(data)
                .withLocal(LocalHttpConfig.defaults().withPort(0))
                .withActivation(cloud, used);
        ActivationException refused = catchThrowableOfType(ActivationException.class, () -> Recorder.start(config));

        assertThat(refused.error()).isEqualTo("code-used");
        assertThat(Files.readAllBytes(data.resolve(RecorderIdentity.FILE_NAME))).isEqualTo(before);
    }

    @Test
    void anExpiredCodeIsRefusedAsCodeExpiredWithWhatToDo(@TempDir Path dir) throws Exception {
        Duration lifetime = Duration.ofMillis(300);
        try (Site shortLived = Site.start(dir, config -> new CloudConfig(config.dataDir(), config.bindAddress(),
                config.port(), config.publicNames(), config.tlsCertificate(), config.tlsKey(), config.jdbcUrl(),
                config.jdbcUser(), config.jdbcPassword(), config.adminEmail(), config.adminPassword(),
                config.maxStreamsPerRecorder(), config.relayResponseTimeout(), config.grantLifetime(), lifetime))) {
            ActivationCodeView code = shortLived.admin().createActivationCode("Too late");
            assertThat(code.expiresAt()).isBefore(Instant.now().plusSeconds(5));
            await("code expiry").atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(code.expiresAt()));

            ActivationException refused = catchThrowableOfType(ActivationException.class,
                    () -> activator.activate(shortLived.cloud().localUrl(), code.code(), SOFTWARE));

            assertThat(refused.error()).isEqualTo("code-expired");
            assertThat(refused.getMessage()).contains("expired").contains(WHAT_TO_DO);
            assertThat(shortLived.admin().recorders()).isEmpty();
        }
    }
}
