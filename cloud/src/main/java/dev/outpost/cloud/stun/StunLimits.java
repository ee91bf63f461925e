package dev.outpost.cloud.stun;

/**
 * How much a STUN server answers, so that it cannot be used to flood someone (a spoofed source gets at most
 * this many responses, each a few dozen bytes longer than its request).
 *
 * @param perSourcePerSecond Binding responses per second to one source IP address, sustained
 * @param perSourceBurst     responses one source IP address may get at once (a full behaviour discovery run
 *                           is about 10 requests, and clients retransmit)
 * @param totalPerSecond     responses per second to all sources together
 * @param totalBurst         responses at once to all sources together
 * @param maxSources         source addresses remembered; past it the least recently seen is forgotten, and the
 *                           total limit still holds
 */
public record StunLimits(double perSourcePerSecond, int perSourceBurst, double totalPerSecond, int totalBurst,
                         int maxSources) {
    public StunLimits {
        if (perSourcePerSecond <= 0 || perSourceBurst < 1 || totalPerSecond <= 0 || totalBurst < 1 || maxSources < 1) {
            throw new IllegalArgumentException("STUN limits must be positive");
        }
    }

    public static StunLimits defaults() {
        return new StunLimits(20, 100, 20_000, 20_000, 65_536);
    }
}
