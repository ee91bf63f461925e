package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.link.LocalEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the LAN sign-in may send a grant: the recorder's own local HTTPS port, by its name or a reported address. */
class LocalReturnAddressTest {
    private static final String ID = "rabc123";
    private static final LocalEndpoint ENDPOINT = new LocalEndpoint(List.of("192.168.1.20", "fd00::20"), 7443, "https");

    @Test
    void acceptsTheRecordersNameOrAReportedAddressOnItsPort() {
        assertThat(LocalReturnAddress.checked(ID, "https://rabc123.recorders.outpost.invalid:7443/", ENDPOINT))
                .isEqualTo("https://rabc123.recorders.outpost.invalid:7443/");
        assertThat(LocalReturnAddress.checked(ID, "https://RABC123.Recorders.Outpost.Invalid:7443", ENDPOINT))
                .isEqualTo("https://rabc123.recorders.outpost.invalid:7443/");
        assertThat(LocalReturnAddress.checked(ID, "https://192.168.1.20:7443/", ENDPOINT))
                .isEqualTo("https://192.168.1.20:7443/");
        assertThat(LocalReturnAddress.checked(ID, "https://[fd00::20]:7443/", ENDPOINT))
                .isEqualTo("https://[fd00::20]:7443/");
        LocalEndpoint onHttpsPort = new LocalEndpoint(List.of("192.168.1.20"), 443, "https");
        assertThat(LocalReturnAddress.checked(ID, "https://192.168.1.20/", onHttpsPort)).isEqualTo("https://192.168.1.20:443/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil.example.com:7443/", // another host
        "https://rother.recorders.outpost.invalid:7443/", // another recorder's name
        "https://rabc123.recorders.outpost.invalid.evil.example:7443/",
        "https://192.168.1.21:7443/", // an address the recorder did not report
        "https://192.168.1.20:7444/", // another port
        "https://192.168.1.20/", // https' own port, not the recorder's
        "http://192.168.1.20:7443/", // plain HTTP
        "https://user@192.168.1.20:7443/",
        "https://192.168.1.20:7443/steal",
        "https://192.168.1.20:7443/?next=x",
        "https://192.168.1.20:7443/#x",
        "javascript:alert(1)",
        "//192.168.1.20:7443/",
        "not an address at all",
        "",
    })
    void refusesEverythingElse(String returnTo) {
        assertThatThrownBy(() -> LocalReturnAddress.checked(ID, returnTo, ENDPOINT))
                .isInstanceOfSatisfying(ApiFailure.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("returnTo");
    }

    @Test
    void aRecorderWithoutALocalHttpsPortHasNoReturnAddress() {
        for (LocalEndpoint none : List.of(LocalEndpoint.NONE, new LocalEndpoint(List.of("192.168.1.20"), 7080, "http"))) {
            assertThatThrownBy(() -> LocalReturnAddress.checked(ID, "https://192.168.1.20:7080/", none))
                    .isInstanceOfSatisfying(ApiFailure.class, e -> assertThat(e.status()).isEqualTo(409))
                    .hasMessageContaining("no local HTTPS port");
        }
    }
}
