package dev.outpost.recorder.snapshot;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/**
 * Decodes a run of H.264 access units with FFmpeg's decoder and turns the last picture into an RGB image, scaled
 * down to a width if asked. One instance per snapshot; every native object it makes is freed before it returns.
 * Blocking and CPU-bound: see {@link SnapshotEncoder} for the threading contract.
 */
final class LastPictureDecoder {
    /** AVERROR(EAGAIN) on Linux, the only platform the bundled natives are for: the decoder wants more input. */
    private static final int AGAIN = -11;
    /** AV_FRAME_FLAG_CORRUPT (libavutil/frame.h): the decoder concealed errors in this picture. */
    private static final int FRAME_FLAG_CORRUPT = 1;
    /**
     * The decoder's own threads (native, not carriers): frame threading cut a 4MP GOP's decoding from about 150 ms to
     * 95 ms on two cores, which shortens the time a caller's carrier is pinned. The price: an error surfaces up to
     * {@code DECODER_THREADS - 1} pictures after the damaged one, so messages name a range.
     */
    private static final int DECODER_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    private final StreamFormat format;
    private final List<AccessUnit> pictures;

    LastPictureDecoder(StreamFormat format, List<AccessUnit> pictures) {
        this.format = format;
        this.pictures = pictures;
    }

    /**
     * The last picture, as a {@link BufferedImage#TYPE_3BYTE_BGR} at most {@code maxWidth} wide (aspect kept).
     *
     * @throws SnapshotException if the decoder rejects a picture or cannot show the last one
     */
    BufferedImage decodeLast(int maxWidth) throws SnapshotException {
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_H264);
        if (codec == null || codec.isNull()) {
            throw new IllegalStateException("this FFmpeg build has no H.264 decoder");
        }
        AVCodecContext decoder = null;
        AVPacket packet = null;
        AVFrame frame = null;
        AVFrame last = null;
        try {
            decoder = avcodec_alloc_context3(codec); // JavaCPP gives null for FFmpeg's NULL
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            last = av_frame_alloc();
            if (decoder == null || packet == null || frame == null || last == null) {
                throw new OutOfMemoryError("FFmpeg could not allocate a decoder");
            }
            open(codec, decoder);
            long lastIndex = -1;
            for (int i = 0; i < pictures.size(); i++) {
                byte[] avcc = pictures.get(i).avcc();
                if (av_new_packet(packet, avcc.length) < 0) {
                    throw new OutOfMemoryError("FFmpeg could not allocate a packet of " + avcc.length + " bytes");
                }
                packet.data().put(avcc, 0, avcc.length);
                packet.pts(i); // comes back on the decoded frame: says which picture it is
                int sent = avcodec_send_packet(decoder, packet);
                av_packet_unref(packet);
                check(sent, i);
                lastIndex = drain(decoder, frame, last, lastIndex);
            }
            check(avcodec_send_packet(decoder, null), pictures.size() - 1);
            lastIndex = drain(decoder, frame, last, lastIndex);
            int wanted = pictures.size() - 1;
            if (lastIndex != wanted) {
                throw new SnapshotException("picture " + wanted + " (the last of " + pictures.size() + ") could not be"
                        + " decoded" + (lastIndex < 0 ? " and neither could any before it" : "; the last that could is "
                        + lastIndex) + ": the video is damaged there; try a moment earlier or later");
            }
            if ((last.flags() & FRAME_FLAG_CORRUPT) != 0 || last.decode_error_flags() != 0) {
                throw new SnapshotException("picture " + wanted + " decoded with errors (the video is damaged there or"
                        + " a picture before it is missing); try a moment earlier or later");
            }
            return toImage(last, maxWidth);
        } finally {
            if (last != null) {
                av_frame_free(last);
            }
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (decoder != null) {
                avcodec_free_context(decoder); // frees the extradata too
            }
        }
    }

    /**
     * Opens the decoder with the parameter sets as avcC extradata rather than as Annex B ahead of the keyframe: the
     * decoder then reads each access unit's 4-byte NAL lengths itself, so the recorded bytes go in as they are
     * (no copy into start-code form, no start-code emulation to reason about), and the parameter sets cannot be
     * mistaken for part of the first picture.
     */
    private void open(AVCodec codec, AVCodecContext decoder) throws SnapshotException {
        byte[] avcC = avcC(format);
        BytePointer extradata = new BytePointer(av_malloc(avcC.length + AV_INPUT_BUFFER_PADDING_SIZE));
        if (extradata.isNull()) {
            throw new OutOfMemoryError("FFmpeg could not allocate " + avcC.length + " bytes of extradata");
        }
        extradata.capacity(avcC.length + AV_INPUT_BUFFER_PADDING_SIZE);
        extradata.put(avcC, 0, avcC.length);
        extradata.position(avcC.length).fill(0).position(0); // FFmpeg's bit readers may read into the padding
        decoder.extradata(extradata);
        decoder.extradata_size(avcC.length);
        decoder.thread_count(DECODER_THREADS);
        int opened = avcodec_open2(decoder, codec, (AVDictionary) null);
        if (opened < 0) {
            throw new SnapshotException("the H.264 decoder refused the stream's SPS/PPS (" + error(opened)
                    + "): the camera's parameter sets are damaged or of a kind FFmpeg cannot decode");
        }
    }

    /**
     * AVCDecoderConfigurationRecord, ISO/IEC 14496-15 section 5.3.3.1: version 1, profile, compatibility and level
     * from the SPS, 4-byte NAL unit lengths (as in {@link AccessUnit#avcc}), one SPS, one PPS. The chroma extension
     * of High profiles is left out: FFmpeg reads the chroma format from the SPS itself.
     */
    static byte[] avcC(StreamFormat format) {
        byte[] sps = format.sps();
        byte[] pps = format.pps();
        return ByteBuffer.allocate(11 + sps.length + pps.length)
                .put((byte) 1).put(sps[1]).put(sps[2]).put(sps[3])
                .put((byte) (0xFC | 3)) // reserved bits, lengthSizeMinusOne = 3
                .put((byte) (0xE0 | 1)).putShort((short) sps.length).put(sps)
                .put((byte) 1).putShort((short) pps.length).put(pps)
                .array();
    }

    /** Takes every picture the decoder has ready, keeping only the newest in {@code last}; returns its index. */
    private long drain(AVCodecContext decoder, AVFrame frame, AVFrame last, long lastIndex) throws SnapshotException {
        while (true) {
            int received = avcodec_receive_frame(decoder, frame);
            if (received == AGAIN || received == AVERROR_EOF) {
                return lastIndex;
            }
            check(received, (int) Math.min(pictures.size() - 1, lastIndex + DECODER_THREADS));
            av_frame_unref(last);
            av_frame_move_ref(last, frame);
            lastIndex = last.pts();
        }
    }

    /**
     * Converts (and scales) with swscale's frame API, which takes the picture's range (limited or full) and colour
     * matrix from the decoded frame rather than assuming them: cameras send both ranges.
     */
    private static BufferedImage toImage(AVFrame picture, int maxWidth) throws SnapshotException {
        int width = picture.width();
        int height = picture.height();
        int outWidth = Math.min(width, maxWidth);
        int outHeight = outWidth == width ? height : Math.max(1, (int) Math.round((double) height * outWidth / width));
        SwsContext scaler = null;
        AVFrame bgr = null;
        try {
            scaler = sws_alloc_context();
            bgr = av_frame_alloc();
            if (scaler == null || bgr == null) {
                throw new OutOfMemoryError("FFmpeg could not allocate a scaler");
            }
            scaler.flags(outWidth < width ? SWS_AREA : SWS_BICUBIC); // area averaging: no aliasing when shrinking
            bgr.width(outWidth).height(outHeight).format(AV_PIX_FMT_BGR24).color_range(AVCOL_RANGE_JPEG);
            int allocated = av_frame_get_buffer(bgr, 0);
            if (allocated < 0) {
                throw new OutOfMemoryError("FFmpeg could not allocate a " + outWidth + "x" + outHeight + " picture");
            }
            int scaled = sws_scale_frame(scaler, bgr, picture);
            if (scaled < 0) {
                throw new SnapshotException("cannot convert the decoded " + width + "x" + height + " picture to RGB ("
                        + error(scaled) + ")");
            }
            BufferedImage image = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_3BYTE_BGR);
            byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            BytePointer rows = bgr.data(0);
            int stride = bgr.linesize(0);
            int rowBytes = outWidth * 3;
            for (int y = 0; y < outHeight; y++) {
                rows.position((long) y * stride).get(pixels, y * rowBytes, rowBytes);
            }
            return image;
        } finally {
            if (bgr != null) {
                av_frame_free(bgr);
            }
            if (scaler != null) {
                sws_freeContext(scaler);
            }
        }
    }

    /** A decoder error, naming the pictures it may have come from (frame threading reports errors late). */
    private void check(int result, int index) throws SnapshotException {
        if (result < 0) {
            int earliest = Math.max(0, index - (DECODER_THREADS - 1));
            throw new SnapshotException("the H.264 decoder rejected picture " + index + " of " + pictures.size()
                    + (earliest < index ? " or one of the " + (index - earliest) + " before it" : "") + " ("
                    + error(result) + "): the video is damaged there; try a moment earlier or later");
        }
    }

    /** FFmpeg's words for an AVERROR code. */
    static String error(int code) {
        byte[] text = new byte[128];
        if (av_strerror(code, text, text.length) < 0) {
            return "FFmpeg error " + code;
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }
}
