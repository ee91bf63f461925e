package dev.outpost.recorder.exports;

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
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import dev.outpost.recorder.snapshot.SnapshotEncoder;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's H.264 decoder for one stream format, fed recorded AVCC access units as they are (the parameter sets go in
 * as avcC extradata, as for snapshots). A picture the decoder rejects is skipped and counted, not fatal: one damaged
 * picture should not cost a 20-minute clip. One thread, so one export costs about one core. Not thread-safe; every
 * native object is freed by {@link #close()}.
 */
final class ClipDecoder implements AutoCloseable {
    /** AVERROR(EAGAIN) on Linux, the only platform the bundled natives are for. */
    static final int AGAIN = -11;

    /** What receives each decoded picture; the frame is only lent for the call. */
    @FunctionalInterface
    interface Pictures {
        void picture(AVFrame frame) throws ClipException;
    }

    private final AVCodecContext decoder;
    private final AVPacket packet;
    private final AVFrame frame;
    private long rejected;

    ClipDecoder(StreamFormat format) throws ClipException {
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_H264);
        if (codec == null || codec.isNull()) {
            throw new IllegalStateException("this FFmpeg build has no H.264 decoder");
        }
        decoder = avcodec_alloc_context3(codec);
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        if (decoder == null || packet == null || frame == null) {
            close();
            throw new OutOfMemoryError("FFmpeg could not allocate a decoder");
        }
        byte[] avcC = SnapshotEncoder.decoderConfiguration(format);
        BytePointer extradata = new BytePointer(av_malloc(avcC.length + AV_INPUT_BUFFER_PADDING_SIZE));
        extradata.capacity(avcC.length + AV_INPUT_BUFFER_PADDING_SIZE);
        extradata.put(avcC, 0, avcC.length);
        extradata.position(avcC.length).fill(0).position(0);
        decoder.extradata(extradata);
        decoder.extradata_size(avcC.length);
        decoder.thread_count(1);
        int opened = avcodec_open2(decoder, codec, (AVDictionary) null);
        if (opened < 0) {
            close();
            throw new ClipException("the H.264 decoder refused the recording's SPS/PPS (" + ClipWriter.error(opened)
                    + "): the recording's parameter sets are damaged");
        }
    }

    /** Decodes one picture; {@code tag} comes back as the pts of the frame it becomes. */
    void decode(AccessUnit unit, long tag, Pictures out) throws ClipException {
        byte[] avcc = unit.avcc();
        if (av_new_packet(packet, avcc.length) < 0) {
            throw new OutOfMemoryError("FFmpeg could not allocate a packet of " + avcc.length + " bytes");
        }
        packet.data().put(avcc, 0, avcc.length);
        packet.pts(tag);
        int sent = avcodec_send_packet(decoder, packet);
        av_packet_unref(packet);
        if (sent < 0 && sent != AGAIN) {
            rejected++;
        }
        drain(out);
    }

    /** Gives out the pictures the decoder still holds. */
    void flush(Pictures out) throws ClipException {
        avcodec_send_packet(decoder, null);
        drain(out);
    }

    private void drain(Pictures out) throws ClipException {
        while (true) {
            int received = avcodec_receive_frame(decoder, frame);
            if (received == AGAIN || received == AVERROR_EOF) {
                return;
            }
            if (received < 0) {
                rejected++;
                return;
            }
            try {
                out.picture(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** Pictures the decoder rejected. */
    long rejected() {
        return rejected;
    }

    @Override
    public void close() {
        if (frame != null) {
            av_frame_free(frame);
        }
        if (packet != null) {
            av_packet_free(packet);
        }
        if (decoder != null) {
            avcodec_free_context(decoder);
        }
    }
}
