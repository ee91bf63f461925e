package dev.outpost.wire.stun;

import java.util.List;
import java.util.Optional;

/**
 * A STUN message (RFC 8489 section 5) as a value.
 *
 * @param type          method and class
 * @param cookie        the magic cookie field: {@link #MAGIC_COOKIE}, or anything else when an RFC 3489
 *                      client sent it (RFC 8489 section 12: those bits were part of its transaction id)
 * @param transactionId the 96 bits that pair a response with its request
 * @param attributes    in message order, FINGERPRINT excepted
 * @param fingerprint   whether the message ends with a FINGERPRINT (section 14.7): the writer appends one,
 *                      and the parser sets this only when the one it read is right
 */
public record StunMessage(StunMessageType type, int cookie, TransactionId transactionId,
                          List<StunAttribute> attributes, boolean fingerprint) {
    /** RFC 8489 section 5. */
    public static final int MAGIC_COOKIE = 0x2112A442;

    public StunMessage {
        attributes = List.copyOf(attributes);
    }

    public static StunMessage bindingRequest(TransactionId id, StunAttribute... attributes) {
        return new StunMessage(StunMessageType.BINDING_REQUEST, MAGIC_COOKIE, id, List.of(attributes), true);
    }

    /** Whether an RFC 3489 ("classic STUN") agent sent it: no magic cookie, so no XOR-MAPPED-ADDRESS. */
    public boolean classic() {
        return cookie != MAGIC_COOKIE;
    }

    public <A extends StunAttribute> Optional<A> attribute(Class<A> kind) {
        for (StunAttribute attribute : attributes) {
            if (kind.isInstance(attribute)) {
                return Optional.of(kind.cast(attribute));
            }
        }
        return Optional.empty();
    }

    /**
     * RFC 8489 section 6.3.1: the comprehension-required attributes this message carries that Outpost does
     * not understand, which a server answers with 420 and UNKNOWN-ATTRIBUTES.
     */
    public List<Integer> unknownComprehensionRequired() {
        return attributes.stream()
                .filter(a -> a instanceof StunAttribute.Opaque && StunAttribute.comprehensionRequired(a.type()))
                .map(StunAttribute::type)
                .distinct()
                .toList();
    }
}
