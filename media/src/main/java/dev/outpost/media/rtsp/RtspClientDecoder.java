package dev.outpost.media.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits what a camera sends on its RTSP connection into {@link RtspResponse}s and
 * {@link InterleavedFrame}s. Bounded throughout: a status line, header section or body longer than
 * its limit is refused before it is buffered whole.
 */
public final class RtspClientDecoder extends ByteToMessageDecoder {
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 64;
    static final int MAX_BODY_BYTES = 64 * 1024;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            Object message = in.getByte(in.readerIndex()) == '$' ? interleaved(in) : response(in);
            if (message == null) {
                return;
            }
            out.add(message);
        }
    }

    private static InterleavedFrame interleaved(ByteBuf in) {
        if (in.readableBytes() < 4) {
            return null;
        }
        int channel = in.getUnsignedByte(in.readerIndex() + 1);
        int length = in.getUnsignedShort(in.readerIndex() + 2);
        if (in.readableBytes() < 4 + length) {
            return null;
        }
        in.skipBytes(4);
        return new InterleavedFrame(channel, in.readRetainedSlice(length));
    }

    private static RtspResponse response(ByteBuf in) {
        int headEnd = headEnd(in);
        if (headEnd < 0) {
            if (in.readableBytes() > MAX_HEAD_BYTES) {
                throw new RtspFormatException("RTSP response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            if (in.readableBytes() >= 5 && !in.toString(in.readerIndex(), 5, StandardCharsets.US_ASCII).equals("RTSP/")) {
                throw new RtspFormatException("expected an RTSP response or interleaved data, got "
                        + printable(in, Math.min(16, in.readableBytes())));
            }
            return null;
        }
        String head = in.toString(in.readerIndex(), headEnd - in.readerIndex(), StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("RTSP/1.")) {
            throw new RtspFormatException("bad RTSP status line: " + lines[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new RtspFormatException("bad RTSP status code: " + status[1]);
        }
        if (code < 100 || code > 999) {
            throw new RtspFormatException("bad RTSP status code: " + code);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (lines.length - 1 > MAX_HEADERS) {
            throw new RtspFormatException("RTSP response has " + (lines.length - 1) + " headers, at most " + MAX_HEADERS);
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new RtspFormatException("bad RTSP header line " + i + ": " + lines[i]);
            }
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        int contentLength = 0;
        List<String> lengths = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Length"))
                .map(Map.Entry::getValue).findFirst().orElse(List.of());
        if (!lengths.isEmpty()) {
            try {
                contentLength = Integer.parseInt(lengths.getFirst().trim());
            } catch (NumberFormatException e) {
                throw new RtspFormatException("bad Content-Length: " + lengths.getFirst());
            }
            if (contentLength < 0 || contentLength > MAX_BODY_BYTES) {
                throw new RtspFormatException("RTSP body of " + contentLength + " bytes, at most " + MAX_BODY_BYTES);
            }
        }
        int bodyStart = headEnd + (in.getByte(headEnd) == '\r' ? 4 : 2);
        if (in.writerIndex() - bodyStart < contentLength) {
            return null;
        }
        byte[] body = new byte[contentLength];
        in.getBytes(bodyStart, body);
        in.readerIndex(bodyStart + contentLength);
        return new RtspResponse(code, status.length > 2 ? status[2] : "", headers, body);
    }

    /** Index of the blank line ending the head ("\r\n\r\n" or "\n\n"), or -1 if not yet there. */
    private static int headEnd(ByteBuf in) {
        int end = Math.min(in.writerIndex(), in.readerIndex() + MAX_HEAD_BYTES + 4);
        for (int i = in.readerIndex(); i < end - 1; i++) {
            if (in.getByte(i) == '\n' && in.getByte(i + 1) == '\n') {
                return i;
            }
            if (i + 3 < end && in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String printable(ByteBuf in, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int b = in.getUnsignedByte(in.readerIndex() + i);
            text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.toString();
    }
}
