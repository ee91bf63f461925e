package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.cloud.accounts.Accounts;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.accounts.TestAccounts;
import dev.outpost.cloud.recorders.RecorderDirectory;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.SharedDatabase;
import dev.outpost.cloud.store.TestBackend;
import dev.outpost.cloud.store.TestClock;
import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ActivationCodeView;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.RemoteNetworkSettings.DirectConnect;
import dev.outpost.wire.link.LocalEndpoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Remote Network Settings and reported local endpoints, stored by migration V2, on H2 and PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestBackend.class)
class RecorderNetworksTest {
    private static final String FINGERPRINT = "cd".repeat(32);
    static SharedDatabase shared;

    @Parameter
    TestBackend backend;

    final TestClock clock = new TestClock();
    RecorderNetworks networks;
    String recorderId;

    @BeforeParameterizedClassInvocation
    static void startDatabase(TestBackend backend) {
        shared = backend.start();
    }

    @AfterParameterizedClassInvocation
    static void stopDatabase() {
        shared.close();
    }

    @BeforeEach
    void activateARecorder() {
        Database database = shared.emptied();
        networks = new RecorderNetworks(database, clock);
        Accounts accounts = TestAccounts.create(database, clock);
        accounts.ensureFirstAdmin("admin@example.com", Optional.of("admin password"));
        AuthenticatedUser admin = accounts.authenticate(
                accounts.login("admin@example.com", "admin password", "192.0.2.1").token()).orElseThrow();
        RecorderDirectory directory = new RecorderDirectory(database, clock);
        ActivationCodeView view = directory.createActivationCode(admin, new NewActivationCode("Shop"));
        ActivationCode code = ActivationCode.parse(view.code());
        recorderId = directory.activate(new ActivationRequest(code.id(), FINGERPRINT,
                ActivationProof.recorderProof(code.proofKey(), FINGERPRINT), "test"), FINGERPRINT).recorderId();
    }

    @Test
    void aRecorderStartsWithTheDefaultsAndKeepsWhatIsSaved() {
        assertThat(networks.settings(recorderId)).isEqualTo(RemoteNetworkSettings.DEFAULTS);

        PathBroker broker = new PathBroker(networks);
        RemoteNetworkSettings saved = broker.save(recorderId, new RemoteNetworkSettings(false,
                List.of("198.51.100.0/24", "2001:db8::/32"), Optional.of(new DirectConnect("Shop.example", 8443, "https"))));
        assertThat(networks.settings(recorderId)).isEqualTo(saved);
        assertThat(saved.directConnect()).contains(new DirectConnect("shop.example", 8443, "https"));

        broker.save(recorderId, RemoteNetworkSettings.DEFAULTS);
        assertThat(networks.settings(recorderId)).isEqualTo(RemoteNetworkSettings.DEFAULTS);
    }

    @Test
    void theLastReportedLocalEndpointIsKeptAndBrokered() {
        assertThat(networks.localEndpoint(recorderId)).isEqualTo(LocalEndpoint.NONE);
        networks.reportLocalEndpoint(recorderId, new LocalEndpoint(List.of("192.168.1.20"), 7080, "http"));
        LocalEndpoint moved = new LocalEndpoint(List.of("192.168.1.21", "fd00::21"), 7443, "https");
        networks.reportLocalEndpoint(recorderId, moved);
        assertThat(networks.localEndpoint(recorderId)).isEqualTo(moved);

        assertThat(new PathBroker(networks).paths(recorderId, "203.0.113.11", Optional.of("203.0.113.11"), false))
                .containsExactly(new PathView("lan", "https://192.168.1.21:7443"),
                        new PathView("lan", "https://[fd00::21]:7443"), new PathView("relay", "/relay/" + recorderId));
    }
}
