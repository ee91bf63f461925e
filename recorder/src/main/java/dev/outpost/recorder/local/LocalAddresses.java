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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.time.Duration;

/**
 * Where this recorder serves its local API, as the link reports it for LAN Smart Forwarding: the address it is
 * bound to, or every usable address of this machine when it listens on all of them. A loopback-only API is
 * reported as none: nobody else can reach it.
 */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** How old the addresses may be before a dial asks for them to be read again. */
    static final Duration REFRESH_AFTER = Duration.ofSeconds(30);

    /**
     * The endpoint, read now and then again in the background when a dial finds it older than
     * {@link #REFRESH_AFTER} (the link dials on its event loop, which must not read interfaces itself), so a new
     * DHCP lease is reported at a later reconnect.
     */
    public static Supplier<LocalEndpoint> of(String bindAddress, int port, String scheme) {
        return new Refreshing(() -> endpoint(bindAddress, port, scheme, LocalAddresses::interfaceAddresses));
    }

    /** The last endpoint read; {@link #get} never blocks. */
    static final class Refreshing implements Supplier<LocalEndpoint> {
        private final Supplier<LocalEndpoint> read;
        private final AtomicBoolean refreshing = new AtomicBoolean();
        private volatile LocalEndpoint current;
        private volatile long readAt;

        Refreshing(Supplier<LocalEndpoint> read) {
            this.read = read;
            this.current = read.get();
            this.readAt = System.nanoTime();
        }

        @Override
        public LocalEndpoint get() {
            if (System.nanoTime() - readAt > REFRESH_AFTER.toNanos() && refreshing.compareAndSet(false, true)) {
                Thread.ofVirtual().name("local-addresses").start(() -> {
                    try {
                        current = read.get();
                        readAt = System.nanoTime();
                    } finally {
                        refreshing.set(false);
                    }
                });
            }
            return current;
        }
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
