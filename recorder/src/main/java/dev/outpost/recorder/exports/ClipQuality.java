package dev.outpost.recorder.exports;

import dev.outpost.wire.api.ExportRequest;

/**
 * How large a clip's pictures may be, and the bit rate it is encoded at: 2MP (1920x1080 worth of pixels) by default,
 * 4MP (2560x1440) on request. The aspect of the recording is kept, and a recording is never scaled up.
 *
 * @param label     as an {@link ExportRequest} names it
 * @param maxPixels the most pixels a picture may have
 * @param bitRate   bits per second at the full size (a smaller picture gets proportionally fewer)
 */
record ClipQuality(String label, long maxPixels, long bitRate) {
    static final ClipQuality TWO_MP = new ClipQuality(ExportRequest.TWO_MP, 1920L * 1080, 2_000_000);
    static final ClipQuality FOUR_MP = new ClipQuality(ExportRequest.FOUR_MP, 2560L * 1440, 3_500_000);

    static ClipQuality of(String label) {
        return label.equals(FOUR_MP.label()) ? FOUR_MP : TWO_MP;
    }

    /** A clip size for pictures of {@code width} x {@code height}: at most {@link #maxPixels}, aspect kept, even. */
    int[] size(int width, int height) {
        double scale = Math.min(1, Math.sqrt((double) maxPixels / ((double) width * height)));
        int w = Math.max(2, (int) Math.floor(width * scale) & ~1);
        int h = Math.max(2, (int) Math.floor(height * scale) & ~1);
        return new int[] {w, h};
    }

    /** The bit rate for pictures of {@code pixels}: as many bits per pixel as at the full size, at least 300 kbit/s. */
    long bitRate(long pixels) {
        return Math.max(300_000, bitRate * Math.min(pixels, maxPixels) / maxPixels);
    }
}
