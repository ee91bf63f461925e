package dev.outpost.cloud.stun;

/**
 * What a STUN server has done since it started.
 *
 * @param answered    Binding success responses sent
 * @param refused     Binding error responses sent (420: a comprehension-required attribute it does not know)
 * @param malformed   datagrams dropped because they are not well-formed STUN
 * @param ignored     well-formed STUN that is not a Binding request (indications, responses, other methods)
 * @param rateLimited Binding requests dropped by the per-source or total rate limit
 */
public record StunStats(long answered, long refused, long malformed, long ignored, long rateLimited) {
}
