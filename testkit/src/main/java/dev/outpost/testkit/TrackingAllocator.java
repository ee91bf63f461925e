package dev.outpost.testkit;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it made, so a test can assert that each one was released.
 * Paranoid leak detection only logs (and only after a GC); this fails the test that leaked, at once.
 * Give it to a channel with {@code channel.config().setAllocator(...)} so decoders' cumulations are
 * tracked too.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> made = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        made.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        made.add(buf);
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** A tracked buffer holding {@code bytes}. */
    public ByteBuf of(byte... bytes) {
        return heapBuffer(bytes.length).writeBytes(bytes);
    }

    public int allocations() {
        return made.size();
    }

    /** Fails when any buffer made here was never released, saying how many of how many. */
    public void assertAllReleased() {
        List<ByteBuf> live = made.stream().filter(b -> b.refCnt() > 0).toList();
        if (!live.isEmpty()) {
            throw new AssertionError(live.size() + " buffers never released (of " + made.size() + " allocated): " + live);
        }
    }
}
