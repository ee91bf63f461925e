package dev.outpost.wire.stun;

/** RFC 8489 section 5: the class of a STUN message, the C1 and C0 bits of its type. */
public enum StunClass {
    REQUEST(0b00), INDICATION(0b01), SUCCESS_RESPONSE(0b10), ERROR_RESPONSE(0b11);

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    int bits() {
        return bits;
    }

    static StunClass of(int bits) {
        return values()[bits & 0b11];
    }
}
