package dev.outpost.recorder.live;

import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * An {@link EmbeddedChannel} whose "socket" can stop taking bytes, as a slow viewer's does: flushed messages then stay
 * in Netty's outbound buffer, which turns the channel unwritable past its high-water mark.
 */
final class StallableChannel extends EmbeddedChannel {
    static final int LOW_WATER = 16 * 1024;
    static final int HIGH_WATER = 32 * 1024;
    private boolean stalled;

    StallableChannel() {
        this(LOW_WATER, HIGH_WATER);
    }

    StallableChannel(int lowWater, int highWater) {
        config().setWriteBufferWaterMark(new WriteBufferWaterMark(lowWater, highWater));
    }

    void stall() {
        stalled = true;
    }

    /** The socket takes bytes again: what waited is written, and the channel turns writable. */
    void resume() {
        stalled = false;
        flush();
        runPendingTasks();
    }

    /** Bytes Netty holds for this channel, written but not yet taken by the socket. */
    long pendingBytes() {
        ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (!stalled) {
            super.doWrite(in);
        }
    }
}
