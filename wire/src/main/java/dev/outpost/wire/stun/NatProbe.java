package dev.outpost.wire.stun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs RFC 5780's behaviour discovery against one STUN server from this host: the mapping tests of section
 * 4.3 on one socket, the filtering tests of section 4.4 on a fresh one (so the mapping tests' packets to the
 * alternate address do not open the filter being tested). Blocking: run it on a thread of its own.
 */
public final class NatProbe {
    private static final int MAX_DATAGRAM = 1500;

    private final InetSocketAddress server;
    private final Duration timeout;
    private final Duration firstRetransmit;

    /**
     * @param timeout how long one test waits for an answer, retransmitting meanwhile (RFC 8489 section 6.2.1,
     *                with a shorter first RTO than its 500 ms so that a command answers quickly)
     */
    public NatProbe(InetSocketAddress server, Duration timeout) {
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve the STUN server's name " + server.getHostString());
        }
        this.server = server;
        this.timeout = timeout;
        this.firstRetransmit = Duration.ofMillis(Math.max(50, Math.min(250, timeout.toMillis() / 8)));
    }

    public NatReport run() throws IOException {
        InetAddress localIp = localAddressTowards(server);
        try (DatagramSocket mappingSocket = new DatagramSocket(new InetSocketAddress(0))) {
            InetSocketAddress local = new InetSocketAddress(localIp, mappingSocket.getLocalPort());
            // Section 4.3, test I: a plain Binding to the primary address.
            Optional<StunMessage> first = transact(mappingSocket, server, Optional.empty());
            Optional<InetSocketAddress> mapped = first.flatMap(NatProbe::mappedAddress);
            if (mapped.isEmpty()) {
                return new NatReport(server, local, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            }
            Optional<InetSocketAddress> other = first.flatMap(m -> m.attribute(StunAttribute.OtherAddress.class))
                    .map(StunAttribute.OtherAddress::address);
            if (other.isEmpty()) {
                return new NatReport(server, local, mapped, other, Optional.empty(), Optional.empty());
            }
            Optional<NatBehaviour> mapping = mapping(mappingSocket, mapped.get(), local, other.get());
            Optional<NatBehaviour> filtering = filtering(other.get());
            return new NatReport(server, local, mapped, other, mapping, filtering);
        }
    }

    private Optional<NatBehaviour> mapping(DatagramSocket socket, InetSocketAddress mapped1, InetSocketAddress local,
                                           InetSocketAddress other) throws IOException {
        if (mapped1.equals(local)) {
            return Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT); // no NAT: the address is the host's own
        }
        // Test II: to the alternate IP and the primary port.
        Optional<InetSocketAddress> mapped2 = transact(socket, new InetSocketAddress(other.getAddress(), server.getPort()),
                Optional.empty()).flatMap(NatProbe::mappedAddress);
        if (mapped2.isEmpty()) {
            return Optional.empty();
        }
        if (mapped2.get().equals(mapped1)) {
            return Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT);
        }
        // Test III: to the alternate IP and the alternate port.
        Optional<InetSocketAddress> mapped3 = transact(socket, other, Optional.empty()).flatMap(NatProbe::mappedAddress);
        return mapped3.map(m3 -> mapping(mapped1, mapped2.get(), m3));
    }

    /**
     * RFC 5780 section 4.3's conclusion from the addresses mapped for the primary address (test I), the
     * alternate IP with the primary port (test II) and the alternate IP and port (test III).
     */
    static NatBehaviour mapping(InetSocketAddress test1, InetSocketAddress test2, InetSocketAddress test3) {
        if (test2.equals(test1)) {
            return NatBehaviour.ENDPOINT_INDEPENDENT;
        }
        return test3.equals(test2) ? NatBehaviour.ADDRESS_DEPENDENT : NatBehaviour.ADDRESS_AND_PORT_DEPENDENT;
    }

    /**
     * RFC 5780 section 4.4's conclusion: whether the answer from the alternate IP and port (test II) and the
     * one from the alternate port alone (test III) got through.
     */
    static NatBehaviour filtering(boolean test2Answered, boolean test3Answered) {
        if (test2Answered) {
            return NatBehaviour.ENDPOINT_INDEPENDENT;
        }
        return test3Answered ? NatBehaviour.ADDRESS_DEPENDENT : NatBehaviour.ADDRESS_AND_PORT_DEPENDENT;
    }

    private Optional<NatBehaviour> filtering(InetSocketAddress other) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(0))) {
            // Test I opens the way to the primary address only.
            if (transact(socket, server, Optional.empty()).flatMap(NatProbe::mappedAddress).isEmpty()) {
                return Optional.empty();
            }
            // Test II: the answer comes from the alternate IP and port.
            boolean test2 = transact(socket, server, Optional.of(new StunAttribute.ChangeRequest(true, true)),
                    Optional.of(other)).isPresent();
            // Test III: the answer comes from the primary IP and the alternate port (skipped when II got through).
            boolean test3 = !test2 && transact(socket, server, Optional.of(new StunAttribute.ChangeRequest(false, true)),
                    Optional.of(new InetSocketAddress(server.getAddress(), other.getPort()))).isPresent();
            return Optional.of(filtering(test2, test3));
        }
    }

    private Optional<StunMessage> transact(DatagramSocket socket, InetSocketAddress to,
                                           Optional<StunAttribute.ChangeRequest> change) throws IOException {
        return transact(socket, to, change, Optional.empty());
    }

    /**
     * One Binding transaction: the success response with our transaction id, or empty after the timeout. With
     * {@code from}, only a response from that address counts: a server that ignored CHANGE-REQUEST must not
     * make a filtering NAT look open.
     */
    private Optional<StunMessage> transact(DatagramSocket socket, InetSocketAddress to,
                                           Optional<StunAttribute.ChangeRequest> change,
                                           Optional<InetSocketAddress> from) throws IOException {
        StunMessage request = StunMessage.bindingRequest(TransactionId.random(),
                change.stream().toArray(StunAttribute[]::new));
        byte[] bytes = StunWriter.toBytes(request);
        long deadline = System.nanoTime() + timeout.toNanos();
        long rto = firstRetransmit.toNanos();
        long nextSend = System.nanoTime();
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return Optional.empty();
            }
            if (now >= nextSend) {
                socket.send(new DatagramPacket(bytes, bytes.length, to));
                nextSend = now + rto;
                rto *= 2;
            }
            long wait = Math.min(nextSend, deadline) - now;
            socket.setSoTimeout((int) Math.max(1, wait / 1_000_000));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (java.net.PortUnreachableException e) {
                continue; // ICMP from a closed port: keep trying until the timeout, as for silence
            }
            StunMessage response;
            try {
                response = StunParser.parse(Arrays.copyOf(buffer, packet.getLength()));
            } catch (StunFormatException e) {
                continue; // not for us
            }
            if (response.transactionId().equals(request.transactionId())
                    && response.type().equals(StunMessageType.BINDING_SUCCESS)
                    && from.map(packet.getSocketAddress()::equals).orElse(true)) {
                return Optional.of(response);
            }
        }
    }

    private static Optional<InetSocketAddress> mappedAddress(StunMessage response) {
        return response.attribute(StunAttribute.XorMappedAddress.class).map(StunAttribute.XorMappedAddress::address)
                .or(() -> response.attribute(StunAttribute.MappedAddress.class).map(StunAttribute.MappedAddress::address));
    }

    /** The IP this host sends from towards {@code server}: the kernel picks it when a UDP socket connects. */
    private static InetAddress localAddressTowards(InetSocketAddress server) throws IOException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(server);
            return probe.getLocalAddress();
        }
    }
}
