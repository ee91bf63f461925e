package dev.outpost.recorder.samples;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws a sample clip's pictures with Java2D and encodes them to an H.264 Annex B file with FFmpeg's
 * openh264 encoder (the bytedeco build has no x264): constrained baseline, no B-frames, a keyframe every
 * GOP, the spec's bit rate. Motion repeats exactly over the clip length, so the loop has no visible seam.
 * Slow (seconds to tens of seconds); runs on a blocking thread, never an event loop.
 */
final class SampleEncoder {
    private static final Logger log = LoggerFactory.getLogger(SampleEncoder.class);

    private SampleEncoder() {
    }

    /**
     * Writes the clip to {@code out} (replacing it); logs progress every GOP.
     *
     * @param stop asked before each picture: true stops with an {@link InterruptedIOException}
     */
    static void encode(SampleSpec spec, Path out, BooleanSupplier stop) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        long started = System.nanoTime();
        BufferedImage image = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_3BYTE_BGR);
        try (Java2DFrameConverter converter = new Java2DFrameConverter();
             FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), spec.width(), spec.height(), 0)) {
            recorder.setFormat("h264");
            recorder.setVideoCodecName("libopenh264");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(spec.fps());
            recorder.setGopSize(spec.gop());
            recorder.setMaxBFrames(0);
            recorder.setVideoBitrate(spec.bitsPerSecond());
            recorder.setVideoOption("rc_mode", "bitrate"); // hold the bit rate, not a quality
            recorder.setVideoOption("allow_skip_frames", "0"); // every picture coded: the loop counts on it
            recorder.start();
            int total = spec.pictures();
            for (int i = 0; i < total; i++) {
                if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) { // closing: the clip waits for next time
                    throw new InterruptedIOException("sample camera " + spec.number() + ": encoding interrupted");
                }
                draw(image, spec, i);
                recorder.record(converter.convert(image), avutil.AV_PIX_FMT_BGR24);
                if ((i + 1) % spec.gop() == 0) {
                    log.info("sample camera {}: encoding {}x{}: {} of {} pictures ({} s)", spec.number(), spec.width(),
                            spec.height(), i + 1, total, (System.nanoTime() - started) / 1_000_000_000);
                }
            }
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot encode sample video " + spec.fileName() + " with FFmpeg/openh264: "
                    + e.getMessage(), e);
        }
        log.info("sample camera {}: {}x{} clip encoded in {} ms", spec.number(), spec.width(), spec.height(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Picture {@code index}: a drifting gradient, a ball on a loop, a sweeping bar, the camera number and a clock. */
    static void draw(BufferedImage image, SampleSpec spec, int index) {
        int w = spec.width();
        int h = spec.height();
        double phase = (double) index / spec.pictures(); // 0 to 1 over the clip: motion loops seamlessly
        double angle = 2 * Math.PI * phase;
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float hue = (float) ((spec.number() * 0.23 + phase) % 1.0);
            int shift = (int) (Math.sin(angle) * w / 2);
            g.setPaint(new GradientPaint(shift, 0, Color.getHSBColor(hue, 0.6f, 0.45f), w + shift, h,
                    Color.getHSBColor((hue + 0.4f) % 1f, 0.7f, 0.25f)));
            g.fillRect(0, 0, w, h);
            // A grid, for detail the encoder has to spend bits on.
            g.setColor(new Color(255, 255, 255, 40));
            int cell = Math.max(8, h / 12);
            for (int x = (int) (phase * cell * spec.seconds()) % cell; x < w; x += cell) {
                g.drawLine(x, 0, x, h);
            }
            for (int y = 0; y < h; y += cell) {
                g.drawLine(0, y, w, y);
            }
            int bar = (int) (phase * 2 * h) % h;
            g.setColor(new Color(255, 255, 255, 70));
            g.fillRect(0, bar, w, Math.max(2, h / 40));
            int r = Math.max(4, h / 10);
            int bx = (int) (w / 2 + Math.cos(angle * 2) * (w / 2 - r * 1.5)) - r;
            int by = (int) (h / 2 + Math.sin(angle * 3) * (h / 2 - r * 1.5)) - r;
            g.setColor(Color.getHSBColor((hue + 0.6f) % 1f, 0.8f, 0.95f));
            g.fillOval(bx, by, 2 * r, 2 * r);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, h / 12)));
            g.drawString("Sample camera " + spec.number(), h / 20, h / 8);
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, Math.max(8, h / 18)));
            long millis = index * 1000L / spec.fps();
            g.drawString(String.format("%d:%02d.%03d  #%03d  %dx%d", millis / 60_000, millis / 1000 % 60, millis % 1000,
                    index, w, h), h / 20, h - h / 20);
        } finally {
            g.dispose();
        }
    }
}
