package dev.outpost.media.mp4;

/**
 * The wall clock of one moment of a track, as a {@code prft} box carries it before a fragment (ISO/IEC 14496-12
 * section 8.16.5): a player or the recorder's index maps media time to the time the camera captured the picture.
 *
 * @param flags           what the wall clock means; {@link #REAL_TIME} for Outpost's capture times
 * @param wallClockMicros microseconds since the Unix epoch; stored as a 64-bit NTP timestamp, so it must fall
 *                        between 1968 and 2104 (RFC 4330 section 3)
 * @param mediaTime       the presentation time it belongs to, in the track's timescale
 */
public record ProducerReferenceTime(int flags, long wallClockMicros, long mediaTime) {
    /**
     * Section 8.16.5.3 flags 8 + 16: the UTC time has a consistent, small offset from the real time of what the
     * picture shows, which is what a capture time is. (0 would mean the time the frame entered the encoder.)
     */
    public static final int REAL_TIME = 24;

    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    static final long NTP_UNIX_OFFSET = 2_208_988_800L;
    private static final long ERA = 1L << 32;
    /** RFC 4330 section 3: NTP seconds with the top bit clear are in era 1, from 2036-02-07 to 2104. */
    static final long MIN_UNIX_SECONDS = (1L << 31) - NTP_UNIX_OFFSET;
    static final long MAX_UNIX_SECONDS = ERA + (1L << 31) - NTP_UNIX_OFFSET - 1;

    public ProducerReferenceTime {
        if (flags < 0 || flags > 0xFF_FFFF) {
            throw new IllegalArgumentException("prft flags " + flags + " are not 24 bits");
        }
        long seconds = Math.floorDiv(wallClockMicros, 1_000_000L);
        if (seconds < MIN_UNIX_SECONDS || seconds > MAX_UNIX_SECONDS) {
            throw new IllegalArgumentException("wall clock " + wallClockMicros
                    + " us is outside what a 64-bit NTP timestamp holds (1968 to 2104)");
        }
        if (mediaTime < 0) {
            throw new IllegalArgumentException("media time " + mediaTime + " is negative");
        }
    }

    /** The wall clock as a 64-bit NTP timestamp: 32 bits of seconds since 1900, 32 bits of fraction. */
    public long ntpTimestamp() {
        long seconds = Math.floorDiv(wallClockMicros, 1_000_000L);
        long micros = Math.floorMod(wallClockMicros, 1_000_000L);
        long fraction = ((micros << 32) + 500_000L) / 1_000_000L; // rounded, so the way back is exact
        return ((seconds + NTP_UNIX_OFFSET) % ERA) << 32 | fraction;
    }

    /** The Unix wall clock of an NTP timestamp, to the nearest microsecond. */
    public static long microsOfNtp(long ntpTimestamp) {
        long ntpSeconds = ntpTimestamp >>> 32;
        long fraction = ntpTimestamp & 0xFFFF_FFFFL;
        long era = (ntpSeconds & 0x8000_0000L) != 0 ? 0 : ERA;
        long unixSeconds = ntpSeconds + era - NTP_UNIX_OFFSET;
        return unixSeconds * 1_000_000L + ((fraction * 1_000_000L + (1L << 31)) >>> 32);
    }
}
