package dev.outpost.wire.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads one STUN message (RFC 8489 section 5) from the bytes of one datagram, checking every length
 * against the bytes present before reading or allocating anything, and rejecting anything malformed
 * with a {@link StunFormatException} that names the offending byte. It never throws anything else.
 */
public final class StunParser {
    static final int HEADER = 20;
    /** RFC 8489 section 14.7: FINGERPRINT is the CRC-32 of the message XORed with this. */
    static final int FINGERPRINT_XOR = 0x5354554e;

    private StunParser() {
    }

    public static StunMessage parse(byte[] datagram) {
        return parse(Unpooled.wrappedBuffer(datagram));
    }

    /** Parses the readable bytes of {@code datagram}, which must hold exactly one message; indices are unchanged. */
    public static StunMessage parse(ByteBuf datagram) {
        ByteBuf in = datagram.slice();
        int size = in.readableBytes();
        if (size < HEADER) {
            throw new StunFormatException(size, "a STUN header has 20 bytes but the message ends after " + size);
        }
        int rawType = in.getUnsignedShort(0);
        if ((rawType & 0xc000) != 0) {
            // RFC 8489 section 5: the two most significant bits of every STUN message are zeroes.
            throw new StunFormatException(0, "not STUN: the first two bits are not zero");
        }
        int length = in.getUnsignedShort(2);
        if ((length & 3) != 0) {
            throw new StunFormatException(2, "message length " + length + " is not a multiple of 4");
        }
        if (HEADER + length > size) {
            throw new StunFormatException(size, "the message ends after " + size + " bytes but its length (byte 2) says "
                    + (HEADER + length));
        }
        if (HEADER + length < size) {
            throw new StunFormatException(HEADER + length, (size - HEADER - length)
                    + " bytes follow the end of the message given by its length (byte 2)");
        }
        int cookie = in.getInt(4);
        byte[] idBytes = new byte[TransactionId.LENGTH];
        in.getBytes(8, idBytes);
        TransactionId id = TransactionId.of(idBytes);

        List<StunAttribute> attributes = new ArrayList<>();
        boolean fingerprint = false;
        int offset = HEADER;
        while (offset < size) {
            // Always 4 bytes left here: the length is a multiple of 4 and so is every padded attribute.
            int type = in.getUnsignedShort(offset);
            int valueLength = in.getUnsignedShort(offset + 2);
            int value = offset + 4;
            int padded = (valueLength + 3) & ~3;
            if (padded > size - value) {
                throw new StunFormatException(offset + 2, "attribute 0x" + Integer.toHexString(type) + " of "
                        + valueLength + " bytes runs past the end of the message (" + (size - value) + " bytes left)");
            }
            if (type == StunAttribute.FINGERPRINT) {
                if (value + padded < size) {
                    throw new StunFormatException(value + padded, "an attribute follows FINGERPRINT, which must be "
                            + "last (RFC 8489 section 14.7)");
                }
                checkFingerprint(in, offset, value, valueLength);
                fingerprint = true;
            } else {
                attributes.add(attribute(in, type, value, valueLength, id));
            }
            offset = value + padded;
        }
        return new StunMessage(StunMessageType.decode(rawType), cookie, id, attributes, fingerprint);
    }

    private static void checkFingerprint(ByteBuf in, int offset, int value, int valueLength) {
        requireLength(StunAttribute.FINGERPRINT, "FINGERPRINT", valueLength, 4, value);
        CRC32 crc = new CRC32();
        crc.update(in.nioBuffer(0, offset));
        int expected = (int) crc.getValue() ^ FINGERPRINT_XOR;
        int actual = in.getInt(value);
        if (expected != actual) {
            throw new StunFormatException(value, String.format("FINGERPRINT 0x%08x does not match the message "
                    + "(its CRC-32 XOR 0x5354554e is 0x%08x): damaged, or not STUN", actual, expected));
        }
    }

    private static StunAttribute attribute(ByteBuf in, int type, int value, int length, TransactionId id) {
        return switch (type) {
            case StunAttribute.MAPPED_ADDRESS -> new StunAttribute.MappedAddress(address(in, value, length, false, id));
            case StunAttribute.XOR_MAPPED_ADDRESS ->
                    new StunAttribute.XorMappedAddress(address(in, value, length, true, id));
            case StunAttribute.RESPONSE_ORIGIN -> new StunAttribute.ResponseOrigin(address(in, value, length, false, id));
            case StunAttribute.OTHER_ADDRESS -> new StunAttribute.OtherAddress(address(in, value, length, false, id));
            case StunAttribute.SOURCE_ADDRESS -> new StunAttribute.SourceAddress(address(in, value, length, false, id));
            case StunAttribute.CHANGED_ADDRESS -> new StunAttribute.ChangedAddress(address(in, value, length, false, id));
            case StunAttribute.CHANGE_REQUEST -> {
                requireLength(type, "CHANGE-REQUEST", length, 4, value);
                int flags = in.getInt(value);
                yield new StunAttribute.ChangeRequest((flags & StunAttribute.ChangeRequest.CHANGE_IP) != 0,
                        (flags & StunAttribute.ChangeRequest.CHANGE_PORT) != 0);
            }
            case StunAttribute.RESPONSE_PORT -> {
                requireLength(type, "RESPONSE-PORT", length, 4, value);
                yield new StunAttribute.ResponsePort(in.getUnsignedShort(value));
            }
            case StunAttribute.PADDING -> new StunAttribute.Padding(length);
            case StunAttribute.SOFTWARE -> {
                if (length > StunAttribute.Software.MAX_BYTES) {
                    throw new StunFormatException(value - 2, "SOFTWARE of " + length + " bytes; at most 763");
                }
                String text = utf8(in, value, length, "SOFTWARE");
                if (text.codePointCount(0, text.length()) > StunAttribute.Software.MAX_CHARACTERS) {
                    throw new StunFormatException(value, "SOFTWARE has more than 127 characters");
                }
                yield new StunAttribute.Software(text);
            }
            case StunAttribute.ERROR_CODE -> errorCode(in, value, length);
            case StunAttribute.UNKNOWN_ATTRIBUTES -> {
                if ((length & 1) != 0) {
                    throw new StunFormatException(value - 2, "UNKNOWN-ATTRIBUTES of odd length " + length);
                }
                List<Integer> types = new ArrayList<>(length / 2);
                for (int i = 0; i < length; i += 2) {
                    types.add(in.getUnsignedShort(value + i));
                }
                yield new StunAttribute.UnknownAttributes(types);
            }
            default -> {
                byte[] bytes = new byte[length];
                in.getBytes(value, bytes);
                yield new StunAttribute.Opaque(type, bytes);
            }
        };
    }

    // RFC 8489 section 14.8: 21 reserved bits, the class (3 bits, 3 to 6), the number (0 to 99), a reason.
    private static StunAttribute.ErrorCode errorCode(ByteBuf in, int value, int length) {
        if (length < 4 || length > 4 + StunAttribute.ErrorCode.MAX_REASON_BYTES) {
            throw new StunFormatException(value - 2, "ERROR-CODE of " + length + " bytes; 4 to 767");
        }
        int errorClass = in.getByte(value + 2) & 0x7;
        int number = in.getUnsignedByte(value + 3);
        if (errorClass < 3 || errorClass > 6) {
            throw new StunFormatException(value + 2, "ERROR-CODE class " + errorClass + " is not 3 to 6");
        }
        if (number > 99) {
            throw new StunFormatException(value + 3, "ERROR-CODE number " + number + " is not 0 to 99");
        }
        return new StunAttribute.ErrorCode(errorClass * 100 + number, utf8(in, value + 4, length - 4, "ERROR-CODE reason"));
    }

    // RFC 8489 section 14.1 (and 14.2 for the XOR form): reserved byte, family, port, address.
    private static InetSocketAddress address(ByteBuf in, int value, int length, boolean xor, TransactionId id) {
        if (length < 4) {
            throw new StunFormatException(value - 2, "an address attribute of " + length + " bytes; 8 or 20");
        }
        int family = in.getUnsignedByte(value + 1);
        int addressLength = switch (family) {
            case 0x01 -> 4;
            case 0x02 -> 16;
            default -> throw new StunFormatException(value + 1, "address family 0x" + Integer.toHexString(family)
                    + " is neither IPv4 (0x01) nor IPv6 (0x02)");
        };
        if (length != 4 + addressLength) {
            throw new StunFormatException(value - 2, "an " + (family == 1 ? "IPv4" : "IPv6") + " address attribute has "
                    + (4 + addressLength) + " bytes, not " + length);
        }
        int port = in.getUnsignedShort(value + 2);
        byte[] address = new byte[addressLength];
        in.getBytes(value + 4, address);
        if (xor) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
            xorAddress(address, id);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("4 or 16 bytes are always an address", impossible);
        }
    }

    /** RFC 8489 section 14.2: X-Address is the address XORed with the magic cookie and then the transaction id. */
    static void xorAddress(byte[] address, TransactionId id) {
        byte[] key = new byte[16];
        ByteBuffer.wrap(key).putInt(StunMessage.MAGIC_COOKIE).put(id.bytes());
        for (int i = 0; i < address.length; i++) {
            address[i] ^= key[i];
        }
    }

    private static void requireLength(int type, String name, int length, int expected, int value) {
        if (length != expected) {
            throw new StunFormatException(value - 2, name + " (0x" + Integer.toHexString(type) + ") has " + expected
                    + " bytes, not " + length);
        }
    }

    private static String utf8(ByteBuf in, int value, int length, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in.nioBuffer(value, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StunFormatException(value, what + " is not UTF-8");
        }
    }
}
