package dev.outpost.wire.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Writes a {@link StunMessage} as RFC 8489 section 5 lays it out, ending with a FINGERPRINT when it asks for one. */
public final class StunWriter {
    /** RFC 8489 section 5: the message length field has 16 bits. */
    static final int MAX_LENGTH = 0xfffc;

    private StunWriter() {
    }

    public static byte[] toBytes(StunMessage message) {
        ByteBuf buf = Unpooled.buffer(128);
        try {
            write(message, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Appends the message to {@code out}; on failure (a message over 64 KiB) {@code out} is left as it was. */
    public static void write(StunMessage message, ByteBuf out) {
        int start = out.writerIndex();
        try {
            out.writeShort(message.type().encode());
            out.writeShort(0); // the length, set below
            out.writeInt(message.cookie());
            out.writeBytes(message.transactionId().bytes());
            for (StunAttribute attribute : message.attributes()) {
                writeAttribute(attribute, message.transactionId(), out);
            }
            int length = out.writerIndex() - start - StunParser.HEADER + (message.fingerprint() ? 8 : 0);
            if (length > MAX_LENGTH) {
                throw new IllegalArgumentException("a STUN message has at most 65532 bytes of attributes, not " + length);
            }
            out.setShort(start + 2, length);
            if (message.fingerprint()) {
                // RFC 8489 section 14.7: CRC-32 of the message up to FINGERPRINT, with the length counting it.
                CRC32 crc = new CRC32();
                crc.update(out.nioBuffer(start, out.writerIndex() - start));
                out.writeShort(StunAttribute.FINGERPRINT);
                out.writeShort(4);
                out.writeInt((int) crc.getValue() ^ StunParser.FINGERPRINT_XOR);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    private static void writeAttribute(StunAttribute attribute, TransactionId id, ByteBuf out) {
        out.writeShort(attribute.type());
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int valueAt = out.writerIndex();
        switch (attribute) {
            case StunAttribute.XorMappedAddress a -> writeAddress(a.address(), true, id, out);
            case StunAttribute.AddressAttribute a -> writeAddress(a.address(), false, id, out);
            case StunAttribute.ChangeRequest c -> out.writeInt(c.flags());
            case StunAttribute.ResponsePort p -> out.writeShort(p.port()).writeShort(0);
            case StunAttribute.Padding p -> out.writeZero(p.length());
            case StunAttribute.Software s -> out.writeBytes(s.description().getBytes(StandardCharsets.UTF_8));
            case StunAttribute.ErrorCode e -> {
                // RFC 8489 section 14.8: reserved bits, then class (hundreds) and number (the rest).
                out.writeShort(0);
                out.writeByte(e.code() / 100);
                out.writeByte(e.code() % 100);
                out.writeBytes(e.reason().getBytes(StandardCharsets.UTF_8));
            }
            case StunAttribute.UnknownAttributes u -> u.types().forEach(out::writeShort);
            case StunAttribute.Opaque o -> out.writeBytes(o.value());
        }
        int length = out.writerIndex() - valueAt;
        if (length > 0xffff) {
            throw new IllegalArgumentException("attribute 0x" + Integer.toHexString(attribute.type()) + " of " + length
                    + " bytes");
        }
        out.setShort(lengthAt, length);
        out.writeZero((4 - (length & 3)) & 3); // section 14: values are padded to a multiple of 4 bytes
    }

    private static void writeAddress(InetSocketAddress address, boolean xor, TransactionId id, ByteBuf out) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("a STUN address is an IP address, not the name " + address.getHostString());
        }
        byte[] ip = address.getAddress().getAddress();
        int port = address.getPort();
        if (xor) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
            StunParser.xorAddress(ip, id);
        }
        out.writeByte(0);
        out.writeByte(ip.length == 4 ? 0x01 : 0x02);
        out.writeShort(port);
        out.writeBytes(ip);
    }
}
