package dev.outpost.recorder.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of the recorder API shared by every router of one {@link RecorderApi}: what a status
 * page or a metrics registry shows, and what tests watch to see backpressure act.
 */
public final class ApiCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder refusedGrants = new LongAdder();
    private final LongAdder streamedBytes = new LongAdder();
    private final LongAdder echoedBytes = new LongAdder();
    private final LongAdder backpressurePauses = new LongAdder();
    private final AtomicLong openExchanges = new AtomicLong();

    /** Requests received, whatever their answer. */
    public long requests() {
        return requests.sum();
    }

    /** Requests answered 401 because their grant was missing or not good. */
    public long refusedGrants() {
        return refusedGrants.sum();
    }

    /** Body bytes handed to the transport by {@code /api/stream}. */
    public long streamedBytes() {
        return streamedBytes.sum();
    }

    /** Body bytes handed back to the transport by {@code /api/echo}. */
    public long echoedBytes() {
        return echoedBytes.sum();
    }

    /**
     * Times a response stopped producing (stream) or stopped reading (echo) because its channel was
     * not writable: each is a slow reader being held back instead of buffered for.
     */
    public long backpressurePauses() {
        return backpressurePauses.sum();
    }

    /** Requests whose exchange has begun and not yet ended (the answer sent and the request read). */
    public long openExchanges() {
        return openExchanges.get();
    }

    void request() {
        requests.increment();
    }

    void refusedGrant() {
        refusedGrants.increment();
    }

    void streamed(long bytes) {
        streamedBytes.add(bytes);
    }

    void echoed(long bytes) {
        echoedBytes.add(bytes);
    }

    void paused() {
        backpressurePauses.increment();
    }

    void exchangeOpened() {
        openExchanges.incrementAndGet();
    }

    void exchangeClosed() {
        openExchanges.decrementAndGet();
    }

    @Override
    public String toString() {
        return "ApiCounters[requests=" + requests() + ", refusedGrants=" + refusedGrants()
                + ", streamedBytes=" + streamedBytes() + ", echoedBytes=" + echoedBytes()
                + ", backpressurePauses=" + backpressurePauses() + ", openExchanges=" + openExchanges() + "]";
    }
}
