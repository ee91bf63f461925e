package dev.outpost.cloud.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outpost's STUN server as Debian's STUN clients see it: coturn's turnutils_stunclient and
 * turnutils_natdiscovery (RFC 5389/5780) and stun-client's stun (RFC 3489), against a server on an ephemeral
 * port of 127.0.0.1, with 127.0.0.2 as the alternate address for behaviour discovery.
 */
class StunClientsTest {
    static final Duration BOUND = Duration.ofSeconds(30);
    static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):(\\d+)");
    static final Pattern LOCAL = Pattern.compile("Local addr: : ([0-9.]+):(\\d+)");

    private StunServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void turnutilsStunclientLearnsItsLoopbackAddress() throws Exception {
        server = StunServer.start(StunServerTest.ephemeral(Optional.empty()), "0.0.0.0", StunLimits.defaults());
        ToolRun run = ToolRun.run(BOUND, "/usr/bin/turnutils_stunclient", "-p", port(), "127.0.0.1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(all(REFLEXIVE, run.output(), 1)).as(run.output()).isNotEmpty().allSatisfy(ip ->
                assertThat(ip).isEqualTo("127.0.0.1"));
        assertThat(server.stats().answered()).isPositive();
        assertThat(server.stats().malformed()).isZero();
    }

    @Test
    void turnutilsNatdiscoveryReportsItsOwnPortAsTheMappedOne() throws Exception {
        server = StunServer.start(StunServerTest.ephemeral(Optional.empty()), "0.0.0.0", StunLimits.defaults());
        ToolRun run = ToolRun.run(BOUND, "/usr/bin/turnutils_natdiscovery", "-m", "-p", port(), "127.0.0.1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(all(REFLEXIVE, run.output(), 2)).as(run.output()).isNotEmpty()
                .containsOnly(all(LOCAL, run.output(), 2).getFirst());
    }

    @Test
    void turnutilsStunclientSeesBehaviourDiscoveryAnswers() throws Exception {
        server = StunServer.start(StunServerTest.ephemeral(Optional.of("127.0.0.2")), "0.0.0.0", StunLimits.defaults());
        ToolRun run = ToolRun.run(BOUND, "/usr/bin/turnutils_stunclient", "-f", "-p", port(), "127.0.0.1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        InetSocketAddress other = server.addresses().get(3); // 127.0.0.2, the alternate port
        assertThat(run.output())
                .contains("RFC 5780 response 3")
                .contains("Response origin: : 127.0.0.1:" + port())
                .contains("Other addr: : 127.0.0.2:" + other.getPort())
                // responses 2 and 3 asked for a change of IP and port: they came from the other address
                .contains("Response origin: : 127.0.0.2:" + other.getPort());
        assertThat(all(REFLEXIVE, run.output(), 1)).containsOnly("127.0.0.1");
    }

    @Test
    void turnutilsNatdiscoveryFindsEndpointIndependentMappingAndFiltering() throws Exception {
        server = StunServer.start(StunServerTest.ephemeral(Optional.of("127.0.0.2")), "0.0.0.0", StunLimits.defaults());
        ToolRun run = ToolRun.run(BOUND, "/usr/bin/turnutils_natdiscovery", "-m", "-f", "-p", port(), "127.0.0.1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("NAT with Endpoint Independent Mapping!")
                .contains("NAT with Endpoint Independent Filtering!")
                .doesNotContain("Dependent");
        // Each test's mapped port is the port the tool bound: loopback has no NAT.
        List<String> localPorts = all(LOCAL, run.output(), 2);
        assertThat(all(REFLEXIVE, run.output(), 2)).isNotEmpty().allSatisfy(p -> assertThat(localPorts).contains(p));
    }

    @Test
    void stunClientOfRfc3489FindsAnOpenInternet() throws Exception {
        server = StunServer.start(StunServerTest.ephemeral(Optional.of("127.0.0.2")), "0.0.0.0", StunLimits.defaults());
        ToolRun run = ToolRun.run(BOUND, "/usr/bin/stun", "127.0.0.1:" + port(), "-v");

        // stund's exit code is its NAT type: 1 is StunTypeOpen, "Open" in its words.
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("Primary: Open").doesNotContain("problem parsing");
        String firstPort = first(Pattern.compile("Opened port (\\d+)"), run.output(), 1);
        assertThat(run.output())
                .contains("MappedAddress = 127.0.0.1:" + firstPort)
                .contains("SourceAddress = 127.0.0.2:" + port())
                .contains("ChangedAddress = 127.0.0.2:" + server.addresses().get(3).getPort());
    }

    private String port() {
        return String.valueOf(server.address().getPort());
    }

    private static List<String> all(Pattern pattern, String text, int group) {
        return pattern.matcher(text).results().map(m -> m.group(group)).distinct().toList();
    }

    private static String first(Pattern pattern, String text, int group) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(group);
    }
}
