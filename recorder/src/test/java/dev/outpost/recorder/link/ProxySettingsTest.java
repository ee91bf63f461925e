package dev.outpost.recorder.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CONNECT proxy: as configured, and as found in the environment. */
class ProxySettingsTest {
    private static final String CLOUD = "cloud.example.com";

    // ---- parse ----

    @Test
    void aPlainProxyUrl() {
        ProxySettings proxy = ProxySettings.parse("http://proxy.corp.example:8080");
        assertThat(proxy).isEqualTo(new ProxySettings("proxy.corp.example", 8080, Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://proxy.corp.example", "proxy.corp.example", "http://proxy.corp.example/", "HTTP://proxy.corp.example"})
    void withoutAPortTheProxyIsOnSquidsDefault3128(String url) {
        ProxySettings proxy = ProxySettings.parse(url);
        assertThat(proxy.host()).isEqualTo("proxy.corp.example");
        assertThat(proxy.port()).isEqualTo(3128);
    }

    @Test
    void withoutASchemeHttpIsAssumed() {
        assertThat(ProxySettings.parse("10.0.0.1:3129")).isEqualTo(new ProxySettings("10.0.0.1", 3129, Optional.empty(), Optional.empty()));
    }

    @Test
    void credentialsComeFromTheUserInfo() {
        ProxySettings proxy = ProxySettings.parse("http://alice:s3cret@proxy:3128");
        assertThat(proxy.user()).contains("alice");
        assertThat(proxy.password()).contains("s3cret");
        assertThat(proxy.host()).isEqualTo("proxy");
    }

    @Test
    void credentialsArePercentDecoded() {
        ProxySettings proxy = ProxySettings.parse("http://CORP%5Calice%40example:p%3Ass%2Fw%40rd%25%20x@proxy:3128");
        assertThat(proxy.user()).contains("CORP\\alice@example");
        assertThat(proxy.password()).contains("p:ss/w@rd% x");
    }

    @Test
    void aPasswordMayContainColonsAfterTheFirst() {
        assertThat(ProxySettings.parse("http://alice:a:b:c@proxy").password()).contains("a:b:c");
    }

    @Test
    void aPlusInAPasswordIsAPlus() {
        // URL user info is percent-encoded, not form-encoded: "+" is itself (curl reads it so too).
        ProxySettings proxy = ProxySettings.parse("http://alice:pa+ss@proxy:3128");
        assertThat(proxy.password()).contains("pa+ss");
    }

    @Test
    void aUserWithoutAPasswordHasAnEmptyOne() {
        ProxySettings proxy = ProxySettings.parse("http://alice@proxy:3128");
        assertThat(proxy.user()).contains("alice");
        assertThat(proxy.password()).contains("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://proxy:3128", "socks5://proxy:1080", "ftp://proxy"})
    void onlyHttpConnectProxiesAreSupported(String url) {
        String scheme = url.substring(0, url.indexOf("://") + 3);
        assertThatThrownBy(() -> ProxySettings.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only http:// proxies").hasMessageContaining("not " + scheme);
    }

    @Test
    void aUrlWithoutAHostIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> ProxySettings.parse("http://:3128")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host");
        assertThatThrownBy(() -> ProxySettings.parse("http://alice:s3cret@/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host").hasMessageNotContaining("s3cret");
    }

    @Test
    void anUnparsableUrlSaysWhatItShouldLookLikeWithoutShowingThePassword() {
        assertThatThrownBy(() -> ProxySettings.parse("http://alice:s3cret@pro xy:3128")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://[user:password@]host:port").hasMessageNotContaining("s3cret");
    }

    @Test
    void toStringNeverShowsThePassword() {
        ProxySettings proxy = ProxySettings.parse("http://alice:s3cret@proxy:3128");
        assertThat(proxy.toString()).isEqualTo("http://alice:***@proxy:3128").doesNotContain("s3cret");
        assertThat(ProxySettings.parse("http://proxy:3128").toString()).isEqualTo("http://proxy:3128");
    }

    // ---- resolve ----

    @Test
    void aConfiguredProxyWinsOverTheEnvironment() {
        Optional<ProxySettings> proxy = ProxySettings.resolve(Optional.of("http://configured:1"), CLOUD,
                Map.of("https_proxy", "http://env:2", "HTTPS_PROXY", "http://ENV:3", "no_proxy", "*"));
        assertThat(proxy).map(ProxySettings::host).contains("configured");
    }

    @Test
    void aBlankConfiguredProxyMeansDirectEvenWithOneInTheEnvironment() {
        assertThat(ProxySettings.resolve(Optional.of(" "), CLOUD, Map.of("https_proxy", "http://env:2"))).isEmpty();
    }

    @Test
    void withoutConfigurationHttpsProxyFromTheEnvironmentIsUsed() {
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("https_proxy", "http://lower:3128")))
                .map(ProxySettings::host).contains("lower");
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("HTTPS_PROXY", "http://upper:3128")))
                .map(ProxySettings::host).contains("upper");
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("https_proxy", "http://lower:3128", "HTTPS_PROXY", "http://upper:3128")))
                .as("lowercase first, as curl does").map(ProxySettings::host).contains("lower");
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("https_proxy", "alice:pw@bare:8080")))
                .contains(new ProxySettings("bare", 8080, Optional.of("alice"), Optional.of("pw")));
    }

    @Test
    void noProxyInTheEnvironmentMeansDirect() {
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of())).isEmpty();
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("https_proxy", ""))).isEmpty();
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("http_proxy", "http://plain:3128")))
                .as("the cloud is https: http_proxy does not apply").isEmpty();
    }

    @ParameterizedTest(name = "{0} with no_proxy={1}: excluded {2}")
    @CsvSource(delimiter = '|', value = {
            "cloud.example.com | cloud.example.com | true",
            "CLOUD.Example.COM | cloud.example.com | true",
            "cloud.example.com | CLOUD.EXAMPLE.COM | true",
            "cloud.example.com | example.com | true",
            "example.com | example.com | true",
            "cloud.example.com | .example.com | true",
            "example.com | .example.com | true",
            "a.b.cloud.example.com | example.com | true",
            "badexample.com | example.com | false",
            "cloud.example.com | other.example.com | false",
            "example.com | cloud.example.com | false",
            "cloud.example.com | example | false",
            "cloud.example.com | com | true",
            "cloud.example.com | * | true",
            "10.0.0.5 | 10.0.0.5 | true",
            "10.0.0.5 | 10.0.0.50 | false",
            "cloud.example.com | 'localhost, 127.0.0.1 , .example.com' | true",
            "cloud.example.com | 'localhost,,*' | true",
            "cloud.example.com | 'localhost,,' | false",
            "cloud.example.com | ' ' | false",
            "cloud.example.com | '.' | false"})
    void noProxyNamesHostsSuffixesAndEverything(String host, String noProxy, boolean excluded) {
        assertThat(ProxySettings.excluded(host, noProxy)).isEqualTo(excluded);
        Optional<ProxySettings> resolved = ProxySettings.resolve(Optional.empty(), host,
                Map.of("https_proxy", "http://proxy:3128", "no_proxy", noProxy));
        assertThat(resolved.isEmpty()).isEqualTo(excluded);
    }

    @Test
    void uppercaseNoProxyIsReadToo() {
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", ".example.com")))
                .isEmpty();
        assertThat(ProxySettings.resolve(Optional.empty(), CLOUD, Map.of("https_proxy", "http://proxy:3128", "NO_PROXY", "other.org")))
                .isPresent();
    }

    @Test
    void aConfiguredProxyIsUsedEvenForHostsNoProxyNames() {
        assertThat(ProxySettings.resolve(Optional.of("http://configured:1"), CLOUD, Map.of("no_proxy", CLOUD))).isPresent();
    }
}
