package dev.outpost.lab;

import dev.outpost.testkit.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small internet on this machine, built from Linux network namespaces for one test:
 *
 * <pre>
 *   cloud 203.0.113.10 ──┐
 *                        ├── WAN bridge (namespace "wan") ──┬── router A 203.0.113.11 ── LAN 192.168.10.0/24:
 *                        │                                  │      recorder 192.168.10.2, viewer-a 192.168.10.3
 *                        │                                  └── router B 203.0.113.12 ── LAN 192.168.20.0/24:
 *                                                                  viewer-b 192.168.20.2
 * </pre>
 *
 * <p>The routers NAT and firewall their sites ({@link SiteRouter}). Every address exists only inside the lab's
 * namespaces (the WAN uses TEST-NET-3, RFC 5737, which no real network routes), and no namespace has a route
 * anywhere else, so nothing the lab does can reach a real outside address. Namespaces are named
 * {@code opl-PID-RANDOM-ROLE}: unique per run, and a run that crashed is recognised by its dead PID and cleaned up
 * by the next one. {@link #close()} kills whatever still runs inside and deletes every namespace, which deletes
 * their veth pairs and bridges with them; a shutdown hook does the same if the test JVM is stopped.
 *
 * <p>Building it needs root, iproute2 and iptables; {@link #start} skips the test with the reason when one lacks.
 */
final class NetworkLab implements AutoCloseable {
    static final String PREFIX = "opl-";
    static final String CLOUD_ADDRESS = "203.0.113.10";
    static final String WAN_PREFIX = "/24";

    private static final Logger log = LoggerFactory.getLogger(NetworkLab.class);
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-[0-9a-f]+-[a-z-]+$");

    private final Path dir;
    private final String tag;
    private final List<NetworkNamespace> namespaces = new ArrayList<>();
    private final List<DelayedWire> wires = new ArrayList<>();
    private final Thread shutdownHook = Thread.ofPlatform().unstarted(this::teardown);
    private NetworkNamespace wan;
    private LabHost cloud;
    private SiteRouter routerA;
    private SiteRouter routerB;
    private LabHost recorder;
    private LabHost viewerA;
    private LabHost viewerB;
    private boolean closed;

    private NetworkLab(Path dir) {
        this.dir = dir;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.tag = PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random) + "-";
    }

    /** Builds the lab, with files of its processes under {@code dir}; skips the test when it cannot be built. */
    static NetworkLab start(Path dir) {
        requireCapable();
        removeStale();
        NetworkLab lab = new NetworkLab(dir);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /** Why a lab cannot be built here, if it cannot: not root, or a tool missing. */
    static Optional<String> unavailableReason() {
        if (!root()) {
            return Optional.of("the network lab needs root (network namespaces, iptables); CI runs it as root");
        }
        for (String tool : List.of("ip", "iptables", "sysctl")) {
            if (!LabCommand.installed(tool)) {
                return Optional.of("the network lab needs " + tool + ": apt-get install iproute2 iptables procps "
                        + "(.ci/packages lists them)");
            }
        }
        return Optional.empty();
    }

    private static void requireCapable() {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElseThrow());
    }

    private static boolean root() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    LabHost cloud() {
        return cloud;
    }

    /** The recorder's machine, on site A's LAN. */
    LabHost recorder() {
        return recorder;
    }

    /** A viewer on the same LAN as the recorder. */
    LabHost viewerA() {
        return viewerA;
    }

    /** A viewer at another site, behind another NAT. */
    LabHost viewerB() {
        return viewerB;
    }

    SiteRouter routerA() {
        return routerA;
    }

    SiteRouter routerB() {
        return routerB;
    }

    List<NetworkNamespace> namespaces() {
        return List.copyOf(namespaces);
    }

    /**
     * Adds {@code oneWay} of delay between any two WAN hosts (the cloud and the two routers), each way, so a round
     * trip between sites or to the cloud costs twice that. The kernel here has no {@code tc netem}, so each WAN port
     * becomes a {@link DelayedWire} (two TAP devices joined by this JVM) holding every frame half of {@code oneWay}:
     * a packet between two WAN hosts crosses two ports. Call it before traffic flows (the ports are replaced).
     */
    void delayWan(Duration oneWay) {
        Duration perPort = oneWay.dividedBy(2);
        replaceWanPort(cloud.netns(), "cloud", CLOUD_ADDRESS, perPort);
        replaceWanPort(routerA.netns(), "router-a", routerA.wanAddress(), perPort);
        replaceWanPort(routerB.netns(), "router-b", routerB.wanAddress(), perPort);
        log.info("network lab {}*: {} ms each way between WAN hosts", tag, oneWay.toMillis());
    }

    private void replaceWanPort(NetworkNamespace netns, String port, String address, Duration delay) {
        ip(netns, "link", "del", SiteRouter.WAN); // the veth pair goes, and its bridge port with it
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = "opw" + HexFormat.of().formatHex(random);
        DelayedWire wire = DelayedWire.create(id + "n", id + "w", delay);
        wires.add(wire);
        LabCommand.run("ip", "link", "set", "dev", id + "n", "netns", netns.name());
        ip(netns, "link", "set", id + "n", "name", SiteRouter.WAN);
        LabCommand.run("ip", "link", "set", "dev", id + "w", "netns", wan.name());
        ip(wan, "link", "set", id + "w", "name", port);
        ip(wan, "link", "set", port, "master", "br0", "up");
        ip(netns, "addr", "add", address + WAN_PREFIX, "dev", SiteRouter.WAN);
        ip(netns, "link", "set", SiteRouter.WAN, "up");
    }

    private void build() {
        wan = namespace("wan");
        ip(wan, "link", "add", "br0", "type", "bridge");
        ip(wan, "link", "set", "br0", "up");

        cloud = new LabHost("cloud", namespace("cloud"), CLOUD_ADDRESS);
        attachToWan(cloud.netns(), "cloud", CLOUD_ADDRESS);

        routerA = router("a", "203.0.113.11", "192.168.10.1");
        recorder = siteHost("recorder", routerA, "192.168.10.2");
        viewerA = siteHost("viewer-a", routerA, "192.168.10.3");
        routerB = router("b", "203.0.113.12", "192.168.20.1");
        viewerB = siteHost("viewer-b", routerB, "192.168.20.2");
        log.info("network lab {}* built: {}, {}, {}", tag, cloud, routerA, routerB);
    }

    private NetworkNamespace namespace(String role) {
        NetworkNamespace netns = NetworkNamespace.named(tag + role);
        LabCommand.run("ip", "netns", "add", netns.name());
        namespaces.add(netns);
        ip(netns, "link", "set", "lo", "up");
        return netns;
    }

    /** A veth from {@code netns} (there named wan0, with {@code address}) to a port of the WAN bridge. */
    private void attachToWan(NetworkNamespace netns, String port, String address) {
        LabCommand.run("ip", "link", "add", "name", SiteRouter.WAN, "netns", netns.name(), "type", "veth",
                "peer", "name", port, "netns", wan.name());
        ip(wan, "link", "set", port, "master", "br0", "up");
        ip(netns, "addr", "add", address + WAN_PREFIX, "dev", SiteRouter.WAN);
        ip(netns, "link", "set", SiteRouter.WAN, "up");
    }

    private SiteRouter router(String site, String wanAddress, String lanAddress) {
        NetworkNamespace netns = namespace("router-" + site);
        attachToWan(netns, "router-" + site, wanAddress);
        ip(netns, "link", "add", SiteRouter.LAN, "type", "bridge");
        ip(netns, "addr", "add", lanAddress + "/24", "dev", SiteRouter.LAN);
        ip(netns, "link", "set", SiteRouter.LAN, "up");
        SiteRouter router = new SiteRouter(site, netns, wanAddress, lanAddress);
        router.configure();
        return router;
    }

    private LabHost siteHost(String role, SiteRouter router, String address) {
        NetworkNamespace netns = namespace(role);
        LabCommand.run("ip", "link", "add", "name", "eth0", "netns", netns.name(), "type", "veth",
                "peer", "name", role, "netns", router.netns().name());
        ip(router.netns(), "link", "set", role, "master", SiteRouter.LAN, "up");
        ip(netns, "addr", "add", address + "/24", "dev", "eth0");
        ip(netns, "link", "set", "eth0", "up");
        ip(netns, "route", "add", "default", "via", router.lanAddress());
        return new LabHost(role, netns, address);
    }

    private static void ip(NetworkNamespace netns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", netns.name()));
        command.addAll(List.of(args));
        LabCommand.run(command);
    }

    /** Kills what still runs in the lab and deletes its namespaces (and with them every veth and bridge). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs teardown itself
        }
        teardown();
    }

    private void teardown() {
        for (DelayedWire wire : wires) {
            wire.close(); // closing a TAP device's descriptor removes the device
            if (wire.dropped() > 0) {
                log.info("network lab: {} dropped {} frames (buffer full)", wire, wire.dropped());
            }
        }
        wires.clear();
        List<String> failures = new ArrayList<>();
        for (NetworkNamespace netns : namespaces.reversed()) {
            delete(netns.name()).ifPresent(failures::add);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("network lab: could not delete " + failures);
        }
    }

    /** Deletes one namespace after killing every process inside it; the reason when it is still there. */
    private static Optional<String> delete(String name) {
        LabCommand.Result pids = LabCommand.attempt(List.of("ip", "netns", "pids", name));
        for (String pid : pids.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        }
        LabCommand.Result deleted = LabCommand.attempt(List.of("ip", "netns", "delete", name));
        if (!deleted.succeeded() && NetworkNamespace.named(name).exists()) {
            return Optional.of(name + ": " + deleted.stderr().strip());
        }
        return Optional.empty();
    }

    /** Deletes the namespaces of lab runs whose JVM is gone (a crash, a kill -9), never those of a live run. */
    static void removeStale() {
        for (String line : LabCommand.run("ip", "netns", "list").lines().toList()) {
            String name = line.split(" ", 2)[0];
            Matcher ours = OURS.matcher(name);
            if (ours.matches() && ProcessHandle.of(Long.parseLong(ours.group(1))).isEmpty()) {
                log.info("network lab: removing {} left by a run that ended without cleaning up", name);
                delete(name).ifPresent(reason -> log.warn("network lab: cannot remove stale {}", reason));
            }
        }
    }
}
