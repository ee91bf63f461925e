package dev.outpost.recorder.samples;

/**
 * What one sample clip looks like: size, rate, GOP, bit rate, length, and the camera number drawn into it.
 * Two specs that are equal make the same file, so a spec names its cache file.
 *
 * @param width         picture width in pixels (even)
 * @param height        picture height in pixels (even)
 * @param fps           pictures per second
 * @param gop           pictures from one keyframe to the next
 * @param bitsPerSecond the encoder's target bit rate
 * @param seconds       clip length; a whole number of GOPs, so the loop restarts on a keyframe
 * @param number        the sample camera's number, drawn on every picture
 */
public record SampleSpec(int width, int height, int fps, int gop, int bitsPerSecond, int seconds, int number) {
    /** 4MP, the main stream of today's typical camera. */
    public static final int HD_WIDTH = 2560;
    public static final int HD_HEIGHT = 1440;
    public static final int HD_BITS_PER_SECOND = 4_000_000;
    /** D1 (PAL), the usual sub stream. */
    public static final int SD_WIDTH = 704;
    public static final int SD_HEIGHT = 576;
    public static final int SD_BITS_PER_SECOND = 800_000;
    public static final int FPS = 15;
    public static final int GOP = 30;
    /** Five GOPs. */
    public static final int SECONDS = 10;

    public SampleSpec {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0 || width > 8192 || height > 8192) {
            throw new IllegalArgumentException("sample size must be even, 16 to 8192 pixels, not " + width + "x" + height);
        }
        if (fps < 1 || fps > 120 || 90_000 % fps != 0) {
            throw new IllegalArgumentException("sample fps must divide 90000 and be 1 to 120, not " + fps);
        }
        if (gop < 1 || bitsPerSecond < 10_000 || seconds < 1 || number < 1) {
            throw new IllegalArgumentException("sample gop, seconds and number must be positive and the bit rate at "
                    + "least 10 kb/s: gop=" + gop + ", bitsPerSecond=" + bitsPerSecond + ", seconds=" + seconds
                    + ", number=" + number);
        }
        if ((long) fps * seconds % gop != 0) {
            throw new IllegalArgumentException("a sample must hold whole GOPs so its loop restarts on a keyframe: "
                    + fps * seconds + " pictures is not a multiple of gop " + gop);
        }
    }

    /** The main stream of sample camera {@code number}: 2560x1440, 15 fps, GOP 30, 4 Mb/s, 10 s. */
    public static SampleSpec hd(int number) {
        return new SampleSpec(HD_WIDTH, HD_HEIGHT, FPS, GOP, HD_BITS_PER_SECOND, SECONDS, number);
    }

    /** The sub stream of sample camera {@code number}: 704x576, 15 fps, GOP 30, 800 kb/s, 10 s. */
    public static SampleSpec sd(int number) {
        return new SampleSpec(SD_WIDTH, SD_HEIGHT, FPS, GOP, SD_BITS_PER_SECOND, SECONDS, number);
    }

    public int pictures() {
        return fps * seconds;
    }

    /** 90 kHz ticks from one picture to the next: 6000 at 15 fps. */
    public long ptsStep() {
        return 90_000L / fps;
    }

    /** The cache file's name; it changes with anything that changes the bytes (v: the drawing's version). */
    String fileName() {
        return "sample-v1-cam" + number + "-" + width + "x" + height + "-" + fps + "fps-gop" + gop + "-"
                + bitsPerSecond / 1000 + "k-" + seconds + "s.h264";
    }
}
