package dev.outpost.cloud.stun;

import dev.outpost.wire.stun.StunAttribute;
import dev.outpost.wire.stun.StunMessage;
import dev.outpost.wire.stun.StunMessageType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers one Binding request: what to send, from which of the server's sockets, to where. No I/O, so every
 * rule of RFC 8489 section 6.3 and RFC 5780 section 6.1 is tested without a network.
 */
final class StunResponder {
    private final StunAttribute.Software software;
    private final Map<SocketKey, InetSocketAddress> sockets;
    private final boolean discovery;

    /**
     * @param sockets the server's bound addresses: the primary alone, or all four for behaviour discovery
     */
    StunResponder(String software, Map<SocketKey, InetSocketAddress> sockets) {
        this.software = new StunAttribute.Software(software);
        this.sockets = Map.copyOf(sockets);
        this.discovery = sockets.size() == 4;
    }

    /** A response, the socket to send it from and its destination. */
    record Reply(StunMessage message, SocketKey from, InetSocketAddress to) {
        boolean success() {
            return message.type().equals(StunMessageType.BINDING_SUCCESS);
        }
    }

    /** Only Binding requests are answered (RFC 8489 section 6.3.2: indications and responses get none). */
    static boolean answerable(StunMessage message) {
        return message.type().equals(StunMessageType.BINDING_REQUEST);
    }

    Reply answer(StunMessage request, InetSocketAddress source, SocketKey receivedOn) {
        List<Integer> unknown = new ArrayList<>(request.unknownComprehensionRequired());
        Optional<StunAttribute.ChangeRequest> change = request.attribute(StunAttribute.ChangeRequest.class);
        // RFC 5780 section 6.1: a CHANGE-REQUEST that asks for a change a server without an alternate address
        // cannot make gets 420; one that asks for nothing is harmless.
        if (!discovery && change.filter(c -> c.changeIp() || c.changePort()).isPresent()) {
            unknown.add(StunAttribute.CHANGE_REQUEST);
        }
        if (!unknown.isEmpty()) {
            // RFC 8489 section 6.3.1.1: 420 listing what was not understood, from where the request came in.
            return new Reply(response(request, StunMessageType.BINDING_ERROR, List.of(
                    new StunAttribute.ErrorCode(StunAttribute.ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute"),
                    new StunAttribute.UnknownAttributes(unknown), software)), receivedOn, source);
        }
        SocketKey from = change.map(c -> receivedOn.changed(c.changeIp(), c.changePort())).orElse(receivedOn);
        // RFC 5780 section 7.5: RESPONSE-PORT sends the response to another port of the same IP address.
        InetSocketAddress to = request.attribute(StunAttribute.ResponsePort.class)
                .map(p -> new InetSocketAddress(source.getAddress(), p.port()))
                .orElse(source);
        List<StunAttribute> attributes = new ArrayList<>();
        if (request.classic()) {
            // RFC 8489 section 12: an RFC 3489 client reads MAPPED-ADDRESS; RFC 3489 section 11.2 names the
            // origin and the alternate SOURCE-ADDRESS and CHANGED-ADDRESS.
            attributes.add(new StunAttribute.MappedAddress(source));
            if (discovery) {
                attributes.add(new StunAttribute.SourceAddress(sockets.get(from)));
                attributes.add(new StunAttribute.ChangedAddress(sockets.get(receivedOn.other())));
            }
        } else {
            // RFC 8489 section 14.2.
            attributes.add(new StunAttribute.XorMappedAddress(source));
            if (discovery) {
                // RFC 5780 sections 7.3 and 7.4.
                attributes.add(new StunAttribute.ResponseOrigin(sockets.get(from)));
                attributes.add(new StunAttribute.OtherAddress(sockets.get(receivedOn.other())));
            }
        }
        // RFC 5780 section 7.6: a padded request gets a response padded as much, so the client learns whether
        // large datagrams pass; never more than the request's own padding.
        request.attribute(StunAttribute.Padding.class).ifPresent(attributes::add);
        attributes.add(software);
        return new Reply(response(request, StunMessageType.BINDING_SUCCESS, attributes), from, to);
    }

    private static StunMessage response(StunMessage request, StunMessageType type, List<StunAttribute> attributes) {
        // RFC 8489 section 12: the cookie field is copied, so a classic client finds its 128-bit transaction
        // id; RFC 3489 had no FINGERPRINT, so only RFC 8489 clients get one (section 14.7).
        return new StunMessage(type, request.cookie(), request.transactionId(), attributes, !request.classic());
    }
}
