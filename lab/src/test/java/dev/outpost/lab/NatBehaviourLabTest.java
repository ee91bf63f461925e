package dev.outpost.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost nat} behind the lab's real NAT routers (docs/p2p.md), against a cloud whose STUN server has a
 * second WAN address for RFC 5780 behaviour discovery. DESIGN.md's expectations: iptables MASQUERADE maps
 * endpoint-independently and, with the router's drop of unsolicited inbound packets, filters by address and
 * port; MASQUERADE --random-fully maps per destination; a site that drops UDP gets no answer at all.
 */
class NatBehaviourLabTest {
    static final String ALTERNATE = "203.0.113.20";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void outpostNatReportsWhatEachNatDoes(@TempDir Path dir) {
        try (NetworkLab lab = NetworkLab.start(dir)) {
            LabCommand.run("ip", "-n", lab.cloud().netns().name(), "addr", "add", ALTERNATE + NetworkLab.WAN_PREFIX,
                    "dev", SiteRouter.WAN);
            try (LabJvm cloud = LabJvm.start(lab.cloud(), "cloud", dir.resolve("cloud.log"),
                    Map.of("OUTPOST_ADMIN_PASSWORD", "lab admin password"),
                    List.of("cloud", "--data", dir.resolve("cloud").toString(), "--bind", lab.cloud().address(),
                            "--port", "8443", "--stun-alternate", ALTERNATE))) {
                cloud.await(Pattern.compile("STUN for peer-to-peer: UDP .* with NAT behaviour discovery"), TIMEOUT);
                String router = lab.routerA().wanAddress();

                // MASQUERADE, as SiteRouter configures it.
                LabJvm.Finished home = nat(lab, dir, "home");
                assertThat(home.exitCode()).as(home.stderr() + home.stdout()).isZero();
                assertThat(home.stdout())
                        .contains("STUN server:      " + lab.cloud().address() + ":3478 (alternate " + ALTERNATE + ":3479)")
                        .containsPattern("Public address:   " + Pattern.quote(router) + ":\\d+  \\(behind a NAT\\)")
                        .contains("Mapping:          endpoint-independent")
                        .contains("Filtering:        address-and-port-dependent")
                        .contains("Peer-to-peer:     likely to work");

                // MASQUERADE --random-fully: a new public port for every destination.
                iptables(lab, "-t", "nat", "-R", "POSTROUTING", "1", "-o", SiteRouter.WAN, "-j", "MASQUERADE",
                        "--random-fully");
                LabJvm.Finished symmetric = nat(lab, dir, "symmetric");
                assertThat(symmetric.exitCode()).as(symmetric.stderr() + symmetric.stdout()).isZero();
                assertThat(symmetric.stdout())
                        .contains("Mapping:          address-and-port-dependent")
                        .contains("Filtering:        address-and-port-dependent")
                        .contains("Peer-to-peer:     unlikely");

                // No UDP out of the site at all.
                iptables(lab, "-I", "lan-out", "1", "-p", "udp", "-j", "DROP");
                LabJvm.Finished blocked = nat(lab, dir, "blocked");
                assertThat(blocked.exitCode()).as(blocked.stderr() + blocked.stdout()).isEqualTo(3);
                assertThat(blocked.stdout()).contains("No answer from the STUN server " + lab.cloud().address()
                        + ":3478").contains("UDP to it seems blocked");
            }
        }
    }

    private static LabJvm.Finished nat(NetworkLab lab, Path dir, String name) {
        Path config = dir.resolve("viewer-" + name);
        return LabJvm.run(lab.viewerA(), config, Map.of("OUTPOST_CONFIG_DIR", config.toString()), TIMEOUT,
                List.of("nat", lab.cloud().address(), "--timeout", "1000"));
    }

    private static void iptables(NetworkLab lab, String... rule) {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", lab.routerA().netns().name(),
                "iptables"));
        command.addAll(List.of(rule));
        LabCommand.run(command);
    }
}
