package dev.outpost.wire.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The attributes of a STUN message that Outpost reads and writes, as values. FINGERPRINT is not among
 * them: it is a property of the encoded message ({@link StunMessage#fingerprint()}), which the writer
 * computes and the parser checks.
 */
public sealed interface StunAttribute {
    // RFC 8489 section 18.3 and RFC 5780 section 9.1: attribute types.
    int MAPPED_ADDRESS = 0x0001;
    int CHANGE_REQUEST = 0x0003;
    int SOURCE_ADDRESS = 0x0004;
    int CHANGED_ADDRESS = 0x0005;
    int ERROR_CODE = 0x0009;
    int UNKNOWN_ATTRIBUTES = 0x000a;
    int XOR_MAPPED_ADDRESS = 0x0020;
    int PADDING = 0x0026;
    int RESPONSE_PORT = 0x0027;
    int SOFTWARE = 0x8022;
    int FINGERPRINT = 0x8028;
    int RESPONSE_ORIGIN = 0x802b;
    int OTHER_ADDRESS = 0x802c;

    /** The attribute's type number. */
    int type();

    /** RFC 8489 section 14: types below 0x8000 are comprehension-required. */
    static boolean comprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** An attribute whose value is a transport address. */
    sealed interface AddressAttribute extends StunAttribute {
        InetSocketAddress address();
    }

    /** RFC 8489 section 14.1: the client's address, not obfuscated; what RFC 3489 clients read. */
    record MappedAddress(InetSocketAddress address) implements AddressAttribute {
        public int type() {
            return MAPPED_ADDRESS;
        }
    }

    /** RFC 8489 section 14.2: the client's address, XORed with the magic cookie (and transaction id). */
    record XorMappedAddress(InetSocketAddress address) implements AddressAttribute {
        public int type() {
            return XOR_MAPPED_ADDRESS;
        }
    }

    /** RFC 5780 section 7.3: the address the response was sent from. */
    record ResponseOrigin(InetSocketAddress address) implements AddressAttribute {
        public int type() {
            return RESPONSE_ORIGIN;
        }
    }

    /** RFC 5780 section 7.4: the server's alternate IP and alternate port. */
    record OtherAddress(InetSocketAddress address) implements AddressAttribute {
        public int type() {
            return OTHER_ADDRESS;
        }
    }

    /** RFC 3489 section 11.2.5: RESPONSE-ORIGIN's predecessor, for classic clients. */
    record SourceAddress(InetSocketAddress address) implements AddressAttribute {
        public int type() {
            return SOURCE_ADDRESS;
        }
    }

    /** RFC 3489 section 11.2.3: OTHER-ADDRESS's predecessor, for classic clients. */
    record ChangedAddress(InetSocketAddress address) implements AddressAttribute {
        public int type() {
            return CHANGED_ADDRESS;
        }
    }

    /** RFC 5780 section 7.2: answer from the alternate IP and/or the alternate port. */
    record ChangeRequest(boolean changeIp, boolean changePort) implements StunAttribute {
        static final int CHANGE_IP = 0x4;
        static final int CHANGE_PORT = 0x2;

        public int type() {
            return CHANGE_REQUEST;
        }

        int flags() {
            return (changeIp ? CHANGE_IP : 0) | (changePort ? CHANGE_PORT : 0);
        }
    }

    /** RFC 8489 section 14.14: the agent's name and version; under 128 characters. */
    record Software(String description) implements StunAttribute {
        static final int MAX_BYTES = 763;
        static final int MAX_CHARACTERS = 127;

        public Software {
            if (description.codePointCount(0, description.length()) > MAX_CHARACTERS
                    || description.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                throw new IllegalArgumentException("SOFTWARE is under 128 characters and 764 bytes: " + description);
            }
        }

        public int type() {
            return SOFTWARE;
        }
    }

    /** RFC 8489 section 14.8: an error response's code (300 to 699) and reason phrase. */
    record ErrorCode(int code, String reason) implements StunAttribute {
        public static final int TRY_ALTERNATE = 300;
        public static final int BAD_REQUEST = 400;
        public static final int UNKNOWN_ATTRIBUTE = 420;
        public static final int SERVER_ERROR = 500;
        static final int MAX_REASON_BYTES = 763;

        public ErrorCode {
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("a STUN error code is 300 to 699: " + code);
            }
            if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
                throw new IllegalArgumentException("an error reason is at most 763 bytes");
            }
        }

        public int type() {
            return ERROR_CODE;
        }
    }

    /** RFC 8489 section 14.9: the comprehension-required attributes a 420 response did not understand. */
    record UnknownAttributes(List<Integer> types) implements StunAttribute {
        public UnknownAttributes {
            types = List.copyOf(types);
            for (int type : types) {
                if (type < 0 || type > 0xffff) {
                    throw new IllegalArgumentException("an attribute type has 16 bits: " + type);
                }
            }
        }

        public int type() {
            return UNKNOWN_ATTRIBUTES;
        }
    }

    /** RFC 5780 section 7.5: send the response to this port of the request's source IP. */
    record ResponsePort(int port) implements StunAttribute {
        public ResponsePort {
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("a port has 16 bits: " + port);
            }
        }

        public int type() {
            return RESPONSE_PORT;
        }
    }

    /** RFC 5780 section 7.6: bytes of no meaning that make a message bigger, to test fragmentation. */
    record Padding(int length) implements StunAttribute {
        public Padding {
            if (length < 0 || length > 0xffff) {
                throw new IllegalArgumentException("padding of " + length + " bytes");
            }
        }

        public int type() {
            return PADDING;
        }
    }

    /** Any other attribute, kept as it came: USERNAME, MESSAGE-INTEGRITY, or one Outpost does not know. */
    record Opaque(int type, byte[] value) implements StunAttribute {
        public Opaque {
            if (type < 0 || type > 0xffff || value.length > 0xffff) {
                throw new IllegalArgumentException("attribute 0x" + Integer.toHexString(type) + " of "
                        + value.length + " bytes");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Opaque that && type == that.type && Arrays.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Opaque[type=0x" + Integer.toHexString(type) + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
