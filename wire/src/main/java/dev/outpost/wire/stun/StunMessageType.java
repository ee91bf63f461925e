package dev.outpost.wire.stun;

/**
 * RFC 8489 section 5: a message type, a 12-bit method and a class, interleaved in 14 bits as
 * {@code M11..M7 C1 M6..M4 C0 M3..M0}.
 *
 * @param method the method, 0x001 for Binding (section 18.2)
 * @param messageClass request, indication, success or error response
 */
public record StunMessageType(int method, StunClass messageClass) {
    public static final int BINDING = 0x001;
    public static final StunMessageType BINDING_REQUEST = new StunMessageType(BINDING, StunClass.REQUEST);
    public static final StunMessageType BINDING_SUCCESS = new StunMessageType(BINDING, StunClass.SUCCESS_RESPONSE);
    public static final StunMessageType BINDING_ERROR = new StunMessageType(BINDING, StunClass.ERROR_RESPONSE);

    public StunMessageType {
        if (method < 0 || method > 0xfff) {
            throw new IllegalArgumentException("a STUN method has 12 bits: " + method);
        }
    }

    int encode() {
        int c = messageClass.bits();
        return (method & 0xf80) << 2 | (c & 0b10) << 7 | (method & 0x070) << 1 | (c & 0b01) << 4 | (method & 0x00f);
    }

    static StunMessageType decode(int type) {
        int method = (type >> 2) & 0xf80 | (type >> 1) & 0x070 | type & 0x00f;
        int c = (type >> 7) & 0b10 | (type >> 4) & 0b01;
        return new StunMessageType(method, StunClass.of(c));
    }

    @Override
    public String toString() {
        return (method == BINDING ? "Binding" : "method 0x" + Integer.toHexString(method)) + " " + messageClass;
    }
}
