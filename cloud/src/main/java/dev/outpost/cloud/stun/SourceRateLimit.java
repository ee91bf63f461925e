package dev.outpost.cloud.stun;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets: one per source IP address in a map bounded by {@link StunLimits#maxSources()} (least recently
 * seen forgotten first), and one for all sources together. Confined to the STUN server's one event loop.
 */
final class SourceRateLimit {
    private final StunLimits limits;
    private final Map<InetAddress, Bucket> sources;
    private final Bucket total;

    SourceRateLimit(StunLimits limits, long nowNanos) {
        this.limits = limits;
        this.sources = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > limits.maxSources();
            }
        };
        this.total = new Bucket(limits.totalBurst(), nowNanos);
    }

    /** Takes a token for {@code source}; false when it (or everyone together) has had its share. */
    boolean tryAcquire(InetAddress source, long nowNanos) {
        Bucket bucket = sources.computeIfAbsent(source, s -> new Bucket(limits.perSourceBurst(), nowNanos));
        if (!bucket.take(nowNanos, limits.perSourcePerSecond(), limits.perSourceBurst())) {
            return false;
        }
        return total.take(nowNanos, limits.totalPerSecond(), limits.totalBurst());
    }

    int sourcesRemembered() {
        return sources.size();
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int tokens, long nowNanos) {
            this.tokens = tokens;
            this.refilledAt = nowNanos;
        }

        boolean take(long nowNanos, double perSecond, int capacity) {
            long elapsed = Math.max(0, nowNanos - refilledAt);
            tokens = Math.min(capacity, tokens + elapsed * perSecond / 1e9);
            refilledAt = nowNanos;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
