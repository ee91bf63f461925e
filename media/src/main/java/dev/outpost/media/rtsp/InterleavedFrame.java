package dev.outpost.media.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Binary data interleaved on the RTSP connection (RFC 2326 section 10.12): {@code $}, a channel
 * byte, a 16-bit length, then an RTP or RTCP packet. Reference counted: the receiver releases it.
 */
public final class InterleavedFrame extends DefaultByteBufHolder {
    private final int channel;

    public InterleavedFrame(int channel, ByteBuf payload) {
        super(payload);
        this.channel = channel;
    }

    public int channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "InterleavedFrame[channel=" + channel + ", " + content().readableBytes() + " bytes]";
    }
}
