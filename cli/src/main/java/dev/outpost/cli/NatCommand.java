package dev.outpost.cli;

import dev.outpost.wire.stun.NatBehaviour;
import dev.outpost.wire.stun.NatProbe;
import dev.outpost.wire.stun.NatReport;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code outpost nat}: asks a cloud's STUN server how this network's NAT maps and filters UDP (RFC 5780
 * behaviour discovery) and says in plain words, in RFC 4787's terms, whether peer-to-peer video is likely.
 */
@Command(name = "nat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test this network's NAT with the cloud's STUN server: mapping and filtering behaviour "
                + "(RFC 4787) and whether peer-to-peer video is likely to work.",
                "Exit code: 0 tested, 2 usage, 3 no answer (UDP blocked or the server down)."})
public final class NatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "HOST[:PORT]",
            description = "The STUN server. Default: the host of --cloud, or of the cloud you are logged in to.")
    String server;

    @Option(names = "--cloud", paramLabel = "URL", description = "A cloud URL whose host runs the STUN server.")
    URI cloud;

    // Named like the cloud's flag: OUTPOST_STUN_PORT means the same port to both (OUTPOST_PORT is the TLS port).
    @Option(names = "--stun-port", paramLabel = "N", defaultValue = "3478",
            description = "The STUN port when HOST has none. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--timeout", paramLabel = "MILLISECONDS", defaultValue = "2000",
            description = "How long each test waits for an answer. Default: ${DEFAULT-VALUE}.")
    long timeoutMillis;

    private final ClientEnvironment environment;

    public NatCommand() {
        this(ClientEnvironment.system());
    }

    NatCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            if (timeoutMillis < 10 || timeoutMillis > 60_000) {
                throw ClientFailure.usage("--timeout is 10 to 60000 milliseconds");
            }
            if (port < 1 || port > 65535) {
                throw ClientFailure.usage("--stun-port is 1 to 65535, not " + port);
            }
            InetSocketAddress stun = stunServer();
            NatReport report = new NatProbe(stun, Duration.ofMillis(timeoutMillis)).run();
            PrintWriter out = spec.commandLine().getOut();
            out.print(describe(report, Duration.ofMillis(timeoutMillis)));
            out.flush();
            return report.blocked() ? ClientExit.UNREACHABLE : ClientExit.OK;
        });
    }

    private InetSocketAddress stunServer() {
        String hostPort = Optional.ofNullable(server)
                .or(() -> Optional.ofNullable(cloud).map(URI::getHost))
                .or(() -> environment.sessions().load().map(s -> s.cloud().getHost()))
                .orElseThrow(() -> ClientFailure.usage("which STUN server? Give HOST[:PORT] or --cloud URL, "
                        + "or log in first with 'outpost login --cloud URL'"));
        String host = hostPort;
        int stunPort = port;
        int colon = hostPort.lastIndexOf(':');
        if (hostPort.startsWith("[")) { // [IPv6]:port or [IPv6]
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, Math.max(1, close));
            if (close > 0 && close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
                stunPort = parsePort(hostPort.substring(close + 2));
            }
        } else if (colon > 0 && hostPort.indexOf(':') == colon) { // host:port, not a bare IPv6 address
            host = hostPort.substring(0, colon);
            stunPort = parsePort(hostPort.substring(colon + 1));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), stunPort);
        } catch (UnknownHostException e) {
            throw ClientFailure.usage("cannot resolve the STUN server's name " + host);
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ClientFailure.usage("not a port: " + text);
    }

    static String describe(NatReport report, Duration timeout) {
        StringBuilder text = new StringBuilder();
        String server = address(report.server());
        if (report.blocked()) {
            text.append("No answer from the STUN server ").append(server).append(" (UDP) within ")
                    .append(timeout.toMillis()).append(" ms.\n")
                    .append("UDP to it seems blocked on this network (or the server is down or has STUN turned off).\n")
                    .append("Peer-to-peer: will not work from here; video goes through the relay (TCP 443), which "
                            + "needs nothing more.\n")
                    .append("To allow peer-to-peer, let outgoing UDP out (to port ").append(report.server().getPort())
                    .append(" and to ports 1024-65535) and its replies back in.\n");
            return text.toString();
        }
        InetSocketAddress mapped = report.mapped().orElseThrow();
        text.append("STUN server:      ").append(server)
                .append(report.otherAddress().map(o -> " (alternate " + address(o) + ")").orElse("")).append('\n');
        text.append("Local address:    ").append(address(report.local())).append('\n');
        text.append("Public address:   ").append(address(mapped))
                .append(report.behindNat() ? "  (behind a NAT)" : "  (the same: no NAT)").append('\n');
        if (report.otherAddress().isEmpty()) {
            text.append("Mapping:          not tested: this STUN server has no alternate address (RFC 5780); a cloud "
                    + "started with --stun-alternate has one\n");
            text.append("Filtering:        not tested\n");
        } else {
            text.append("Mapping:          ").append(report.mapping().map(NatCommand::mappingWords)
                    .orElse("unknown: the alternate address did not answer")).append('\n');
            text.append("Filtering:        ").append(report.filtering().map(NatCommand::filteringWords)
                    .orElse("unknown: the server stopped answering")).append('\n');
        }
        text.append("Peer-to-peer:     ").append(switch (report.peerToPeer()) {
            case LIKELY -> "likely to work: this network keeps one public address per socket, so the other "
                    + "side can reach it once both have sent to each other";
            case UNLIKELY -> "unlikely: this NAT gives every destination a different public port, so the address "
                    + "learnt from STUN is not the one the other side must reach; it works only when the other side "
                    + "lets any sender in. Video goes through the relay otherwise";
            case UNKNOWN -> "possible: UDP gets through, but the NAT's behaviour could not be tested";
            case NO -> "will not work";
        }).append(".\n");
        return text.toString();
    }

    private static String mappingWords(NatBehaviour behaviour) {
        return behaviour.words() + switch (behaviour) {
            case ENDPOINT_INDEPENDENT -> " (the same public address and port whatever the destination)";
            case ADDRESS_DEPENDENT -> " (a new public port for each destination address: \"symmetric\")";
            case ADDRESS_AND_PORT_DEPENDENT -> " (a new public port for each destination address and port: \"symmetric\")";
        };
    }

    private static String filteringWords(NatBehaviour behaviour) {
        return behaviour.words() + switch (behaviour) {
            case ENDPOINT_INDEPENDENT -> " (anyone may send back to that public address)";
            case ADDRESS_DEPENDENT -> " (only addresses this host sent to may answer)";
            case ADDRESS_AND_PORT_DEPENDENT -> " (only the exact address and port this host sent to may answer)";
        };
    }

    private static String address(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
