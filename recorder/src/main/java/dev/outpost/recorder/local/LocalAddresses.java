package dev.outpost.recorder.local;

import dev.outpost.wire.link.LocalEndpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where this recorder serves its local API, as the link reports it for LAN Smart Forwarding: the address it is
 * bound to, or every usable address of this machine when it listens on all of them. A loopback-only API is
 * reported as none: nobody else can reach it.
 */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** Read again at every dial, so a new DHCP lease is reported at the next reconnect. */
    public static Supplier<LocalEndpoint> of(String bindAddress, int port, String scheme) {
        return () -> endpoint(bindAddress, port, scheme, LocalAddresses::interfaceAddresses);
    }

    static LocalEndpoint endpoint(String bindAddress, int port, String scheme, Supplier<List<InetAddress>> interfaces) {
        InetAddress bound;
        try {
            bound = InetAddress.ofLiteral(bindAddress);
        } catch (IllegalArgumentException notALiteral) {
            return LocalEndpoint.NONE;
        }
        List<InetAddress> candidates = bound.isAnyLocalAddress() ? interfaces.get() : List.of(bound);
        List<String> addresses = candidates.stream()
                .filter(LocalAddresses::usable)
                // IPv4 first: the common LAN; then IPv6 global before unique-local.
                .sorted(Comparator.comparingInt((InetAddress a) -> a instanceof Inet4Address ? 0 : 1))
                .map(InetAddress::getHostAddress)
                .map(text -> text.contains("%") ? text.substring(0, text.indexOf('%')) : text)
                .distinct()
                .limit(LocalEndpoint.MAX_ADDRESSES)
                .toList();
        return addresses.isEmpty() ? LocalEndpoint.NONE : new LocalEndpoint(addresses, port, scheme);
    }

    private static boolean usable(InetAddress address) {
        return !address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isAnyLocalAddress()
                && !address.isMulticastAddress() && (address instanceof Inet4Address || address instanceof Inet6Address);
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                if (nic.isUp() && !nic.isLoopback()) {
                    nic.inetAddresses().forEach(addresses::add);
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return addresses;
    }
}
