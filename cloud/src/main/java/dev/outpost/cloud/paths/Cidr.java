package dev.outpost.cloud.paths;

import dev.outpost.wire.link.LocalEndpoint;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address range in CIDR notation (RFC 4632 section 3.1), {@code 198.51.100.0/24}; a bare address
 * is a range of one. Parsing never resolves names.
 *
 * @param network the range's first address (host bits cleared)
 * @param bits    the prefix length
 */
public record Cidr(InetAddress network, int bits) {
    private static final int MAX_CHARS = 49; // an IPv6 literal and "/128"

    public Cidr {
        if (bits < 0 || bits > network.getAddress().length * 8) {
            throw new IllegalArgumentException("prefix length must be 0 to " + network.getAddress().length * 8
                    + ", not " + bits);
        }
        network = masked(network, bits);
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an address range is empty");
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_CHARS) {
            throw new IllegalArgumentException("'" + trimmed.substring(0, MAX_CHARS) + "...' is too long for an address range");
        }
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!LocalEndpoint.isIpLiteral(address)) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an address range: '" + address
                    + "' is not an IP address (write 198.51.100.0/24 or 2001:db8::/32)");
        }
        InetAddress network = InetAddress.ofLiteral(address);
        int max = network.getAddress().length * 8;
        int bits = max;
        if (slash >= 0) {
            String prefix = trimmed.substring(slash + 1);
            if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > max) {
                throw new IllegalArgumentException("'" + trimmed + "' is not an address range: the prefix length must be"
                        + " 0 to " + max);
            }
            bits = Integer.parseInt(prefix);
        }
        return new Cidr(network, bits);
    }

    /** Whether {@code address} (an IP literal) is in this range; anything else is not. */
    public boolean contains(String address) {
        return literal(address).map(this::contains).orElse(false);
    }

    public boolean contains(InetAddress address) {
        InetAddress candidate = unmapped(address);
        if (candidate.getAddress().length != network.getAddress().length) {
            return false;
        }
        return masked(candidate, bits).equals(network);
    }

    /** The address of an IP literal, an IPv4-mapped IPv6 address as IPv4; empty for anything else. */
    public static Optional<InetAddress> literal(String text) {
        if (text == null || !LocalEndpoint.isIpLiteral(text)) {
            return Optional.empty();
        }
        return Optional.of(unmapped(InetAddress.ofLiteral(text)));
    }

    private static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return InetAddress.ofLiteral((bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff)
                        + "." + (bytes[15] & 0xff));
            }
        }
        return address;
    }

    private static InetAddress masked(InetAddress address, int bits) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + bits;
    }
}
