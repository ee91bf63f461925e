package dev.outpost.lab;

import dev.outpost.testkit.NetworkNamespace;
import java.util.ArrayList;
import java.util.List;

/**
 * A site's home router: NAT (iptables MASQUERADE) from its LAN bridge {@code lan} to its WAN port {@code wan0},
 * and a stateful firewall that drops unsolicited inbound packets, as home routers do (without it an early inbound
 * probe makes a conntrack entry that forces the NAT onto another port; see DESIGN.md, "Testing against the real
 * thing"). What the LAN may send out is the chain {@code lan-out}; what it may send to the router itself is
 * {@code lan-in}; port forwards are DNAT rules in {@code nat PREROUTING}.
 */
final class SiteRouter {
    static final String WAN = "wan0";
    static final String LAN = "lan";

    private final String site;
    private final NetworkNamespace netns;
    private final String wanAddress;
    private final String lanAddress;
    private final List<List<String>> forwards = new ArrayList<>();
    private final List<List<String>> blocks = new ArrayList<>();

    SiteRouter(String site, NetworkNamespace netns, String wanAddress, String lanAddress) {
        this.site = site;
        this.netns = netns;
        this.wanAddress = wanAddress;
        this.lanAddress = lanAddress;
    }

    NetworkNamespace netns() {
        return netns;
    }

    /** The site's one public address: every connection from its LAN comes from here. */
    String wanAddress() {
        return wanAddress;
    }

    String lanAddress() {
        return lanAddress;
    }

    private boolean udpDropped;

    /** Sets up forwarding, NAT and the firewall; the LAN may then open anything outwards. */
    void configure() {
        LabCommand.run(netns.command(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")));
        iptables("-t", "nat", "-A", "POSTROUTING", "-o", WAN, "-j", "MASQUERADE");
        iptables("-N", "lan-out");
        iptables("-N", "lan-in");
        iptables("-P", "FORWARD", "DROP");
        iptables("-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        iptables("-A", "FORWARD", "-i", WAN, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
        // Hosts on the LAN talk to each other (where br_netfilter is loaded, bridged frames pass FORWARD too).
        iptables("-A", "FORWARD", "-i", LAN, "-o", LAN, "-j", "ACCEPT");
        iptables("-A", "FORWARD", "-i", LAN, "-o", WAN, "-j", "lan-out");
        iptables("-P", "INPUT", "DROP");
        iptables("-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
        iptables("-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        iptables("-A", "INPUT", "-i", LAN, "-j", "lan-in");
        allowEverythingOut();
    }

    /** A home network: the LAN may open any connection outwards and reach the router. */
    void allowEverythingOut() {
        iptables("-F", "lan-out");
        iptables("-F", "lan-in");
        iptables("-A", "lan-out", "-j", "ACCEPT");
        iptables("-A", "lan-in", "-j", "ACCEPT");
    }

    /**
     * A locked-down corporate network: nothing from the LAN is forwarded (no DNS, no UDP, no direct TCP); the LAN
     * may only open TCP connections to the proxy on this router's LAN address and {@code proxyPort}.
     */
    void allowOnlyProxy(int proxyPort) {
        iptables("-F", "lan-out");
        iptables("-F", "lan-in");
        iptables("-A", "lan-in", "-p", "tcp", "--dport", Integer.toString(proxyPort), "-j", "ACCEPT");
    }

    /**
     * Endpoint-dependent mapping ({@code MASQUERADE --random-fully}: a new random public port for every destination,
     * RFC 4787's address-and-port-dependent mapping) or, with {@code false}, the endpoint-independent plain
     * {@code MASQUERADE} again (which keeps a socket's port whatever the destination).
     */
    void randomPorts(boolean random) {
        List<String> rule = new ArrayList<>(List.of("-t", "nat", "-R", "POSTROUTING", "1", "-o", WAN, "-j", "MASQUERADE"));
        if (random) {
            rule.add("--random-fully");
        }
        iptables(rule.toArray(String[]::new));
    }

    /** Drops every UDP datagram from the LAN outwards (STUN and peer-to-peer alike), or with {@code false} lets them out again. */
    void dropUdp(boolean drop) {
        if (drop == udpDropped) {
            return;
        }
        iptables(drop ? "-I" : "-D", "lan-out", "-p", "udp", "-j", "DROP");
        udpDropped = drop;
    }

    /** Forwards TCP {@code publicPort} of the WAN address to {@code host}:{@code port} on the LAN (DNAT). */
    void forward(int publicPort, LabHost host, int port) {
        List<String> rule = List.of("PREROUTING", "-i", WAN, "-p", "tcp", "--dport", Integer.toString(publicPort),
                "-j", "DNAT", "--to-destination", host.address() + ":" + port);
        List<String> add = new ArrayList<>(List.of("-t", "nat", "-A"));
        add.addAll(rule);
        iptables(add.toArray(String[]::new));
        forwards.add(rule);
    }

    /**
     * Breaks every port forward at once, connections already open through it included (removing the DNAT rule
     * alone would leave those to conntrack): their packets are dropped both ways from now on, silently, as when a
     * router loses its forwarding or the line to the site fails.
     */
    void breakForwards(LabHost host, int port) {
        removeForwards();
        List<String> in = List.of("FORWARD", "-i", WAN, "-d", host.address(), "-p", "tcp", "--dport",
                Integer.toString(port), "-j", "DROP");
        List<String> out = List.of("FORWARD", "-i", LAN, "-o", WAN, "-s", host.address(), "-p", "tcp", "--sport",
                Integer.toString(port), "-j", "DROP");
        for (List<String> rule : List.of(in, out)) {
            List<String> insert = new ArrayList<>(List.of("-I"));
            insert.add(rule.getFirst());
            insert.add("1");
            insert.addAll(rule.subList(1, rule.size()));
            iptables(insert.toArray(String[]::new));
            blocks.add(rule);
        }
    }

    /** Undoes {@link #breakForwards}' drops. */
    void unblock() {
        for (List<String> rule : blocks) {
            List<String> delete = new ArrayList<>(List.of("-D"));
            delete.addAll(rule);
            iptables(delete.toArray(String[]::new));
        }
        blocks.clear();
    }

    /** Removes every port forward: inbound connections to the WAN address are dropped unanswered again. */
    void removeForwards() {
        for (List<String> rule : forwards) {
            List<String> delete = new ArrayList<>(List.of("-t", "nat", "-D"));
            delete.addAll(rule);
            iptables(delete.toArray(String[]::new));
        }
        forwards.clear();
    }

    private void iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(args));
        LabCommand.run(netns.command(command));
    }

    @Override
    public String toString() {
        return "router of site " + site + " (" + wanAddress + " / " + lanAddress + " in " + netns.name() + ")";
    }
}
