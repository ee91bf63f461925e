package dev.outpost.recorder.snapshot;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes a JPEG of the last of a run of H.264 pictures: decodes them all from the keyframe that opens the run (a
 * P-picture means nothing without the pictures before it) with FFmpeg's H.264 decoder, keeps the last, and encodes it
 * with the JDK's JPEG writer at quality {@value #QUALITY}.
 *
 * <p>The JPEG is written by ImageIO rather than FFmpeg's mjpeg encoder: one native codec fewer to open and free, and
 * none of mjpeg's pixel-format trouble (it wants full-range "yuvj" input, while cameras send limited range), since
 * swscale has already turned the picture into RGB with its own colour space and range.
 *
 * <p><b>Threading.</b> {@link #encode} blocks: it is CPU-bound native work, tens to hundreds of milliseconds for a
 * 4MP GOP. Call it on a virtual thread ({@code Executors.newVirtualThreadPerTaskExecutor()}), never on a Netty event
 * loop. While FFmpeg runs, the virtual thread is pinned to its carrier (native frames cannot be unmounted), so bound
 * the number of snapshots made at once (a semaphore of about the number of cores, refusing with 503 beyond it) or a
 * burst of requests would take every carrier from the rest of the recorder. It is safe to call from many threads at
 * once: each call has its own decoder.
 */
public final class SnapshotEncoder {
    /** JPEG quality, 0 to 100: small files without visible blocking on detail such as number plates. */
    public static final int QUALITY = 85;
    /**
     * The most pictures one snapshot decodes: 40 s of a 15 fps stream, longer than any usual keyframe interval.
     * Decoding is about linear in pictures, so this bounds the CPU one request can cost.
     */
    public static final int MAX_PICTURES = 600;
    /** The largest picture side FFmpeg is asked to decode (8K): bounds the memory a damaged SPS could claim. */
    public static final int MAX_SIDE = 8192;

    private SnapshotEncoder() {
    }

    /** {@link #encode(StreamFormat, List, int)} at the picture's own size. */
    public static Snapshot encode(StreamFormat format, List<AccessUnit> pictures) throws SnapshotException {
        return encode(format, pictures, Integer.MAX_VALUE);
    }

    /**
     * A JPEG of the last picture of {@code pictures}, scaled down (aspect kept) if wider than {@code maxWidth}.
     * Blocks; see the class comment for where to call it.
     *
     * @param format   the stream's SPS and PPS
     * @param pictures access units in decode order, AVCC-framed, the first a keyframe, at most {@link #MAX_PICTURES}
     * @param maxWidth the widest the JPEG may be, at least 16; {@link Integer#MAX_VALUE} for the picture's own width
     * @throws SnapshotException if there are no pictures or too many, the first is not a keyframe, or the video is
     *                           damaged so that the last picture cannot be decoded cleanly; the message says which
     *                           picture and what to try
     */
    public static Snapshot encode(StreamFormat format, List<AccessUnit> pictures, int maxWidth)
            throws SnapshotException {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(pictures, "pictures");
        if (maxWidth < 16) {
            throw new IllegalArgumentException("a snapshot is at least 16 pixels wide, not " + maxWidth);
        }
        check(format, pictures);
        BufferedImage image = new LastPictureDecoder(format, pictures).decodeLast(maxWidth);
        AccessUnit last = pictures.getLast();
        return new Snapshot(jpeg(image), image.getWidth(), image.getHeight(), last.pts90k(), last.captureMicros());
    }

    /**
     * The stream's SPS and PPS as an AVCDecoderConfigurationRecord, the extradata with which FFmpeg's H.264 decoder
     * reads AVCC access units as they are recorded (clip exports decode with it too).
     */
    public static byte[] decoderConfiguration(StreamFormat format) {
        return LastPictureDecoder.avcC(format);
    }

    /** Everything FFmpeg should not have to find out: bounds, a keyframe first, and each picture's NAL framing. */
    private static void check(StreamFormat format, List<AccessUnit> pictures) throws SnapshotException {
        if (pictures.isEmpty()) {
            throw new SnapshotException("no pictures to make a snapshot of: the camera has sent no keyframe yet, or"
                    + " there is no recording at that time");
        }
        if (pictures.size() > MAX_PICTURES) {
            throw new SnapshotException(pictures.size() + " pictures from the keyframe to the picture asked for;"
                    + " a snapshot decodes at most " + MAX_PICTURES + ": set the camera's keyframe interval (GOP)"
                    + " shorter, for example 2 seconds");
        }
        if (format.width() > MAX_SIDE || format.height() > MAX_SIDE) {
            throw new SnapshotException("pictures of " + format.width() + "x" + format.height() + " are larger than"
                    + " snapshots decode (" + MAX_SIDE + " pixels a side)");
        }
        if (format.sps().length > 0xFFFF || format.pps().length > 0xFFFF) { // avcC holds 16-bit lengths
            throw new SnapshotException("the stream's SPS or PPS is over 65535 bytes: the camera's parameter sets are"
                    + " damaged");
        }
        if (!pictures.getFirst().keyframe()) {
            throw new SnapshotException("the first picture is not a keyframe, so nothing after it can be decoded");
        }
        for (int i = 0; i < pictures.size(); i++) {
            checkFraming(pictures.get(i).avcc(), i);
        }
    }

    /** AccessUnit framing: NAL units each after a 4-byte big-endian length (ISO/IEC 14496-15 section 5.3.2). */
    static void checkFraming(byte[] avcc, int index) throws SnapshotException {
        if (avcc.length == 0) {
            throw new SnapshotException("picture " + index + " is empty: the video is damaged there");
        }
        int at = 0;
        while (at < avcc.length) {
            if (avcc.length - at < 5) {
                throw new SnapshotException("picture " + index + " is cut short: " + (avcc.length - at) + " bytes at"
                        + " offset " + at + " are too few for a NAL unit; the video is damaged there");
            }
            long length = ((avcc[at] & 0xFFL) << 24) | ((avcc[at + 1] & 0xFF) << 16) | ((avcc[at + 2] & 0xFF) << 8)
                    | (avcc[at + 3] & 0xFF);
            if (length == 0 || length > avcc.length - at - 4) {
                throw new SnapshotException("picture " + index + " is damaged: the NAL unit at offset " + at + " claims "
                        + length + " bytes, but " + (avcc.length - at - 4) + " follow");
            }
            at += 4 + (int) length;
        }
    }

    /** The JDK's baseline JPEG writer at {@link #QUALITY}, in memory (no ImageIO cache file). */
    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY / 100f);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a JPEG to memory failed", e); // memory does not fail with I/O
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
