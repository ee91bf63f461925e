package dev.outpost.recorder.exports;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/**
 * Writes decoded pictures as an H.264 MP4 file: each picture scaled (swscale, bilinear) to the clip's size, encoded
 * with the FFmpeg build's H.264 encoder (OpenH264 in the bundled build, which has no x264) at a set bit rate, and
 * muxed with {@code +faststart} (the index first, so a browser plays the file while it downloads). Presentation times
 * are the caller's, in 1/90000 s. One encoder thread. Not thread-safe; {@link #close()} frees every native object,
 * finished or not.
 */
final class ClipWriter implements AutoCloseable {
    static final int TIMESCALE = 90_000;

    private final AVFormatContext muxer;
    private final AVCodecContext encoder;
    private final AVStream stream;
    private final AVPacket packet;
    private final AVFrame scaled;
    private final SwsContext scaler;
    private boolean headerWritten;
    private boolean fileOpen;
    private long pictures;
    private boolean closed;

    /**
     * @param file   where the MP4 goes (the caller's temporary name)
     * @param width  clip width, even
     * @param height clip height, even
     * @param fps    the recording's picture rate, for the encoder's rate control
     * @param bitRate bits per second the encoder aims at
     */
    ClipWriter(Path file, int width, int height, int fps, long bitRate) throws ClipException {
        AVCodec codec = avcodec_find_encoder_by_name("libopenh264");
        if (codec == null || codec.isNull()) {
            codec = avcodec_find_encoder(AV_CODEC_ID_H264);
        }
        if (codec == null || codec.isNull()) {
            throw new IllegalStateException("this FFmpeg build has no H.264 encoder");
        }
        muxer = new AVFormatContext(null);
        encoder = avcodec_alloc_context3(codec);
        packet = av_packet_alloc();
        scaled = av_frame_alloc();
        scaler = sws_alloc_context();
        if (encoder == null || packet == null || scaled == null || scaler == null) {
            freeNatives();
            throw new OutOfMemoryError("FFmpeg could not allocate an encoder");
        }
        AVStream made = null;
        try {
            check(avformat_alloc_output_context2(muxer, null, "mp4", file.toString()), "set up the MP4 muxer");
            encoder.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_MPEG);
            encoder.time_base(av_make_q(1, TIMESCALE)).framerate(av_make_q(fps, 1));
            encoder.bit_rate(bitRate).gop_size(Math.max(1, fps * 2)).max_b_frames(0).thread_count(1);
            if ((muxer.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
                encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            AVDictionary options = new AVDictionary(null);
            av_dict_set(options, "rc_mode", "bitrate", 0); // OpenH264: hold the bit rate, so sizes are predictable
            int opened = avcodec_open2(encoder, codec, options);
            av_dict_free(options);
            check(opened, "open the H.264 encoder at " + width + "x" + height);
            made = avformat_new_stream(muxer, null);
            if (made == null) {
                throw new OutOfMemoryError("FFmpeg could not add a stream");
            }
            check(avcodec_parameters_from_context(made.codecpar(), encoder), "describe the video stream");
            made.time_base(encoder.time_base());
            AVIOContext io = new AVIOContext(null);
            check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "open " + file);
            muxer.pb(io);
            fileOpen = true;
            AVDictionary muxOptions = new AVDictionary(null);
            av_dict_set(muxOptions, "movflags", "+faststart", 0);
            int header = avformat_write_header(muxer, muxOptions);
            av_dict_free(muxOptions);
            check(header, "write the MP4 header");
            headerWritten = true;
            scaled.width(width).height(height).format(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_MPEG);
            check(av_frame_get_buffer(scaled, 0), "allocate a " + width + "x" + height + " picture");
            scaler.flags(SWS_BILINEAR);
        } catch (ClipException | RuntimeException | Error e) {
            close();
            throw e;
        }
        stream = made;
    }

    /** Scales, encodes and writes one picture, shown at {@code pts90k} for {@code duration90k}. */
    void write(AVFrame picture, long pts90k, long duration90k) throws ClipException {
        check(av_frame_make_writable(scaled), "reuse the scaled picture");
        check(sws_scale_frame(scaler, scaled, picture), "scale a " + picture.width() + "x" + picture.height()
                + " picture");
        scaled.pts(pts90k);
        scaled.duration(duration90k);
        check(avcodec_send_frame(encoder, scaled), "encode picture " + pictures);
        pictures++;
        drain();
    }

    /** Flushes the encoder and writes the MP4's index; the file is whole once this returns. */
    void finish() throws ClipException {
        check(avcodec_send_frame(encoder, null), "flush the encoder");
        drain();
        check(av_write_trailer(muxer), "write the MP4 index");
        headerWritten = false;
        check(avio_closep(muxer.pb()), "close the clip file");
        fileOpen = false;
    }

    private void drain() throws ClipException {
        AVRational encoderBase = encoder.time_base();
        while (true) {
            int received = avcodec_receive_packet(encoder, packet);
            if (received == ClipDecoder.AGAIN || received == AVERROR_EOF) {
                return;
            }
            check(received, "encode");
            av_packet_rescale_ts(packet, encoderBase, stream.time_base());
            packet.stream_index(stream.index());
            check(av_interleaved_write_frame(muxer, packet), "write to the clip file"); // takes the packet's data
        }
    }

    long pictures() {
        return pictures;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (fileOpen) {
            avio_closep(muxer.pb());
            fileOpen = false;
        }
        freeNatives();
    }

    private void freeNatives() {
        if (scaler != null) {
            sws_freeContext(scaler);
        }
        if (scaled != null) {
            av_frame_free(scaled);
        }
        if (packet != null) {
            av_packet_free(packet);
        }
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        if (muxer != null && !muxer.isNull()) {
            avformat_free_context(muxer);
        }
    }

    private static void check(int result, String what) throws ClipException {
        if (result < 0) {
            throw new ClipException("could not " + what + ": " + error(result));
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
