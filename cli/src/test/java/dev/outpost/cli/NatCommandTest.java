package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.Session;
import dev.outpost.client.SessionStore;
import dev.outpost.cloud.CloudConfig;
import dev.outpost.cloud.CloudServer;
import dev.outpost.cloud.stun.StunLimits;
import dev.outpost.cloud.stun.StunServer;
import dev.outpost.cloud.stun.StunSettings;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code outpost nat} against Outpost's own STUN server on loopback (127.0.0.2 as the alternate address). */
class NatCommandTest {
    @TempDir
    Path config;

    @Test
    void reportsNoNatAndLikelyPeerToPeerOnLoopback() throws Exception {
        try (StunServer stun = discoveryServer()) {
            CommandRun run = CommandRun.in(config).run(NatCommand::new, "127.0.0.1:" + stun.address().getPort());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out())
                    .contains("STUN server:      127.0.0.1:" + stun.address().getPort() + " (alternate 127.0.0.2:")
                    .containsPattern("Public address:   127\\.0\\.0\\.1:\\d+  \\(the same: no NAT\\)")
                    .contains("Mapping:          endpoint-independent (the same public address and port")
                    .contains("Filtering:        endpoint-independent (anyone may send back")
                    .contains("Peer-to-peer:     likely to work");
            // The local and public addresses printed are one and the same.
            String local = line(run.out(), "Local address:").trim();
            assertThat(line(run.out(), "Public address:").trim()).startsWith(local + "  ");
            // Test I, then (no NAT: mapping needs no more) filtering I and II; more if a retransmission crossed
            // a slow answer.
            assertThat(stun.stats().answered()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void saysWhatItCannotTestWithoutAnAlternateAddress() throws Exception {
        try (StunServer stun = StunServer.start(new StunSettings(true, Optional.of("127.0.0.1"), 0, Optional.empty(), 0),
                "0.0.0.0", StunLimits.defaults())) {
            CommandRun run = CommandRun.in(config).run(NatCommand::new, "--stun-port", String.valueOf(stun.address().getPort()),
                    "127.0.0.1");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("Mapping:          not tested: this STUN server has no alternate address")
                    .contains("Peer-to-peer:     possible");
        }
    }

    @Test
    void saysUdpIsBlockedWhenNothingAnswers() throws Exception {
        // A socket that reads and never answers: what a firewall that drops UDP looks like from here.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            CommandRun run = CommandRun.in(config).run(NatCommand::new, "--timeout", "300",
                    "127.0.0.1:" + silent.getLocalPort());

            assertThat(run.exitCode()).isEqualTo(ClientExit.UNREACHABLE);
            assertThat(run.out()).contains("No answer from the STUN server 127.0.0.1:" + silent.getLocalPort()
                            + " (UDP) within 300 ms.")
                    .contains("UDP to it seems blocked")
                    .contains("video goes through the relay");
        }
    }

    @Test
    void findsTheStunServerOfTheCloudItIsLoggedInTo() throws Exception {
        CloudConfig cloudConfig = CloudConfig.defaults(config.resolve("cloud")).withPort(0).withBindAddress("127.0.0.1")
                .withStun(new StunSettings(true, Optional.empty(), 0, Optional.of("127.0.0.2"), 0));
        try (CloudServer cloud = CloudServer.start(cloudConfig)) {
            StunServer stun = cloud.stun().orElseThrow();
            new SessionStore(config).save(new Session(URI.create(cloud.localUrl() + "/"), "t", Optional.empty(),
                    "a@b.c", Optional.empty()));

            CommandRun run = CommandRun.in(config).run(NatCommand::new, "--stun-port", String.valueOf(stun.address().getPort()));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("STUN server:      127.0.0.1:" + stun.address().getPort())
                    .contains("Peer-to-peer:     likely to work");
        }
    }

    @Test
    void withoutAServerOrALoginItSaysWhatToGive() {
        CommandRun run = CommandRun.in(config).run(NatCommand::new);

        assertThat(run.exitCode()).isEqualTo(ClientExit.USAGE);
        assertThat(run.err()).contains("Give HOST[:PORT] or --cloud URL");
    }

    @Test
    void cloudFlagsConfigureTheStunServer() {
        CloudCommand command = new CloudCommand();
        new CommandLine(command).parseArgs("--bind", "127.0.0.1", "--stun-port", "3480", "--stun-alternate",
                "127.0.0.2", "--stun-alternate-port", "3481");
        assertThat(command.toConfig().stun())
                .isEqualTo(new StunSettings(true, Optional.empty(), 3480, Optional.of("127.0.0.2"), 3481));

        CloudCommand off = new CloudCommand();
        new CommandLine(off).parseArgs("--stun-port", "0");
        assertThat(off.toConfig().stun().enabled()).isFalse();
    }

    @Test
    void explainsASymmetricNatInPlainWords() {
        var report = new dev.outpost.wire.stun.NatReport(new InetSocketAddress("203.0.113.1", 3478),
                new InetSocketAddress("192.168.1.2", 50000), Optional.of(new InetSocketAddress("198.51.100.7", 61000)),
                Optional.of(new InetSocketAddress("203.0.113.2", 3479)),
                Optional.of(dev.outpost.wire.stun.NatBehaviour.ADDRESS_AND_PORT_DEPENDENT),
                Optional.of(dev.outpost.wire.stun.NatBehaviour.ADDRESS_AND_PORT_DEPENDENT));

        assertThat(NatCommand.describe(report, java.time.Duration.ofSeconds(2)).lines()).containsExactly(
                "STUN server:      203.0.113.1:3478 (alternate 203.0.113.2:3479)",
                "Local address:    192.168.1.2:50000",
                "Public address:   198.51.100.7:61000  (behind a NAT)",
                "Mapping:          address-and-port-dependent (a new public port for each destination address and "
                        + "port: \"symmetric\")",
                "Filtering:        address-and-port-dependent (only the exact address and port this host sent to may "
                        + "answer)",
                "Peer-to-peer:     unlikely: this NAT gives every destination a different public port, so the address "
                        + "learnt from STUN is not the one the other side must reach; it works only when the other side "
                        + "lets any sender in. Video goes through the relay otherwise.");
    }

    private static StunServer discoveryServer() throws Exception {
        return StunServer.start(new StunSettings(true, Optional.of("127.0.0.1"), 0, Optional.of("127.0.0.2"), 0),
                "0.0.0.0", StunLimits.defaults());
    }

    private static String line(String text, String label) {
        return text.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow()
                .substring(label.length());
    }
}
