package dev.outpost.recorder.cameras;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sinks of one {@link VideoSource}, called as one: each call goes to every sink in turn, and a sink that throws is
 * logged and kept without stopping the others. It remembers the stream's format, so a sink added later hears it
 * first. Every call but {@link #remove} is made on the source's event loop.
 */
public final class SinkFanout implements VideoSink {
    private static final Logger log = LoggerFactory.getLogger(SinkFanout.class);

    private final String where;
    private final List<VideoSink> sinks = new CopyOnWriteArrayList<>();
    private Optional<StreamFormat> format = Optional.empty();

    /** @param where the source, as logs name it */
    public SinkFanout(String where) {
        this.where = Objects.requireNonNull(where, "where");
    }

    /** Adds a sink: it gets the format first, if known, then every picture from the next on. On the event loop. */
    public void add(VideoSink sink) {
        Objects.requireNonNull(sink, "sink");
        format.ifPresent(known -> deliver(sink, s -> s.onFormat(known)));
        sinks.add(sink);
    }

    /** Removes a sink; from any thread, so it may still get a call already under way. */
    public void remove(VideoSink sink) {
        sinks.remove(sink);
    }

    /** The format last announced, if any. */
    public Optional<StreamFormat> format() {
        return format;
    }

    @Override
    public void onFormat(StreamFormat next) {
        format = Optional.of(next);
        each(s -> s.onFormat(next));
    }

    @Override
    public void onAccessUnit(AccessUnit unit) {
        each(s -> s.onAccessUnit(unit));
    }

    @Override
    public void onInterruption(String reason) {
        each(s -> s.onInterruption(reason));
    }

    private void each(Consumer<VideoSink> call) {
        for (VideoSink sink : sinks) {
            deliver(sink, call);
        }
    }

    private void deliver(VideoSink sink, Consumer<VideoSink> call) {
        try {
            call.accept(sink);
        } catch (RuntimeException e) {
            log.warn("{}: video sink {} failed", where, sink, e);
        }
    }
}
