package dev.outpost.recorder.cameras;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sink that keeps everything it is given, and the threads it was called on. */
final class CollectingSink implements VideoSink {
    final List<StreamFormat> formats = new CopyOnWriteArrayList<>();
    final List<AccessUnit> units = new CopyOnWriteArrayList<>();
    final List<String> interruptions = new CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    /** Index in {@link #units} at which each interruption came. */
    final List<Integer> interruptedAt = new CopyOnWriteArrayList<>();
    volatile boolean unitBeforeFormat;

    @Override
    public void onFormat(StreamFormat format) {
        threads.add(Thread.currentThread().getName());
        formats.add(format);
    }

    @Override
    public void onAccessUnit(AccessUnit unit) {
        threads.add(Thread.currentThread().getName());
        if (formats.isEmpty()) {
            unitBeforeFormat = true;
        }
        units.add(unit);
    }

    @Override
    public void onInterruption(String reason) {
        threads.add(Thread.currentThread().getName());
        interruptedAt.add(units.size());
        interruptions.add(reason);
    }
}
