package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.api.ConnectView.PathView;
import dev.outpost.wire.api.RemoteNetworkSettings;
import dev.outpost.wire.api.RemoteNetworkSettings.DirectConnect;
import dev.outpost.wire.link.LocalEndpoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathBrokerTest {
    private static final String ID = "rabc";
    private static final Optional<String> SITE = Optional.of("203.0.113.11");
    private static final LocalEndpoint LOCAL = new LocalEndpoint(List.of("192.168.10.2", "fd00::2"), 7443, "https");
    private static final RemoteNetworkSettings DIRECT = new RemoteNetworkSettings(true, List.of(),
            Optional.of(new DirectConnect("shop.example.com", 8443, "https")));

    @Test
    void aViewerOnTheRecordersSiteGetsItsLocalAddressesFirstThenTheRelay() {
        assertThat(PathBroker.paths(ID, "203.0.113.11", SITE, LOCAL, RemoteNetworkSettings.DEFAULTS)).containsExactly(
                new PathView("lan", "https://192.168.10.2:7443"), new PathView("lan", "https://[fd00::2]:7443"),
                new PathView("relay", "/relay/rabc"));
    }

    @Test
    void aRecorderThatOffersP2pGetsAP2pPathBeforeTheRelay() {
        assertThat(PathBroker.paths(ID, "203.0.113.12", SITE, LOCAL, DIRECT, true)).containsExactly(
                new PathView("direct", "https://shop.example.com:8443"),
                new PathView("p2p", "/relay/rabc/api/p2p/sessions"), new PathView("relay", "/relay/rabc"));
        assertThat(PathBroker.paths(ID, "203.0.113.12", SITE, LOCAL, RemoteNetworkSettings.DEFAULTS, false))
                .extracting(PathView::kind).containsExactly("relay");
    }

    @Test
    void aViewerElsewhereGetsDirectConnectWhenConfiguredAndTheRelayAlways() {
        assertThat(PathBroker.paths(ID, "203.0.113.12", SITE, LOCAL, RemoteNetworkSettings.DEFAULTS))
                .containsExactly(new PathView("relay", "/relay/rabc"));
        assertThat(PathBroker.paths(ID, "203.0.113.12", SITE, LOCAL, DIRECT)).containsExactly(
                new PathView("direct", "https://shop.example.com:8443"), new PathView("relay", "/relay/rabc"));
        assertThat(PathBroker.paths(ID, "203.0.113.11", SITE, LOCAL, DIRECT)).extracting(PathView::kind)
                .containsExactly("lan", "lan", "direct", "relay");
    }

    @Test
    void sameSiteRangesCountAsTheRecordersSite() {
        RemoteNetworkSettings campus = new RemoteNetworkSettings(true, List.of("198.51.100.0/24"), Optional.empty());
        assertThat(PathBroker.paths(ID, "198.51.100.40", SITE, LOCAL, campus)).extracting(PathView::kind)
                .containsExactly("lan", "lan", "relay");
        assertThat(PathBroker.paths(ID, "198.51.101.40", SITE, LOCAL, campus)).extracting(PathView::kind)
                .containsExactly("relay");
    }

    @Test
    void noLanPathWhenSwitchedOffUnreportedOrTheRecordersAddressIsUnknown() {
        RemoteNetworkSettings off = new RemoteNetworkSettings(false, List.of("0.0.0.0/0"), Optional.empty());
        assertThat(PathBroker.paths(ID, "203.0.113.11", SITE, LOCAL, off)).extracting(PathView::kind)
                .containsExactly("relay");
        assertThat(PathBroker.paths(ID, "203.0.113.11", SITE, LocalEndpoint.NONE, RemoteNetworkSettings.DEFAULTS))
                .extracting(PathView::kind).containsExactly("relay");
        assertThat(PathBroker.paths(ID, "203.0.113.11", Optional.empty(), LOCAL, RemoteNetworkSettings.DEFAULTS))
                .extracting(PathView::kind).containsExactly("relay");
        assertThat(PathBroker.paths(ID, "unknown", Optional.of("unknown"), LOCAL, RemoteNetworkSettings.DEFAULTS))
                .extracting(PathView::kind).containsExactly("relay");
    }

    @Test
    void settingsAreCheckedWithErrorsThatNameTheField() {
        assertThat(error(new RemoteNetworkSettings(true, List.of("10.0.0.0/8", "bad"), Optional.empty())))
                .startsWith("sameSiteRanges[1]: ");
        assertThat(error(new RemoteNetworkSettings(true, List.of(), Optional.of(new DirectConnect("a b", 80, "http")))))
                .startsWith("directConnect.host: ");
        assertThat(error(new RemoteNetworkSettings(true, List.of(), Optional.of(new DirectConnect("a.example", 0, "http")))))
                .startsWith("directConnect.port: ");
        assertThat(error(new RemoteNetworkSettings(true, List.of(), Optional.of(new DirectConnect("a.example", 80, "ftp")))))
                .startsWith("directConnect.scheme: ");
        assertThat(error(new RemoteNetworkSettings(true, java.util.Collections.nCopies(33, "10.0.0.0/8"), Optional.empty())))
                .startsWith("sameSiteRanges: at most 32");

        RemoteNetworkSettings canonical = NetworkSettingsCheck.checked(new RemoteNetworkSettings(true,
                List.of(" 10.1.2.3/8", "10.0.0.0/8"), Optional.of(new DirectConnect(" Shop.Example.COM ", 80, null))));
        assertThat(canonical.sameSiteRanges()).containsExactly("10.0.0.0/8");
        assertThat(canonical.directConnect()).contains(new DirectConnect("shop.example.com", 80, "https"));
        assertThat(NetworkSettingsCheck.checked(new RemoteNetworkSettings(true, List.of(),
                Optional.of(new DirectConnect("[2001:db8::1]", 443, "https")))).directConnect().orElseThrow().host())
                .isEqualTo("2001:db8::1");
    }

    private static String error(RemoteNetworkSettings settings) {
        ApiFailure failure = catchThrowableOfType(ApiFailure.class, () -> NetworkSettingsCheck.checked(settings));
        assertThat(failure.status()).isEqualTo(400);
        assertThat(failure.error()).isEqualTo("bad-network-settings");
        return failure.getMessage();
    }
}
