package dev.outpost.media.mp4;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes fragmented MP4 (ISO/IEC 14496-12, CMAF per ISO/IEC 23000-19) for one H.264 track without touching the
 * video: an init segment ({@code ftyp} + {@code moov}) once, then fragments ({@code prft} + {@code moof} +
 * {@code mdat}) whose sample bytes are the access units' AVCC bytes unchanged. A file is the init segment followed by
 * fragments; a live viewer gets the init segment and then fragments from one that starts on a keyframe.
 *
 * <p>Each {@code moof}+{@code mdat} pair is a CMAF chunk; it starts on a keyframe only when the caller cuts it there,
 * and a viewer must be started on one that does.
 */
public final class Fmp4Writer {
    /** The track's ID in {@code tkhd}, {@code trex}, {@code tfhd} and {@code prft}. */
    static final int TRACK_ID = 1;
    static final String MAJOR_BRAND = "iso6";
    /**
     * iso6: the 14496-12 edition with {@code tfdt} and {@code default-base-is-moof}; cmfc: CMAF structural brand
     * (23000-19 section 7.2), no media profile brand since a camera's level and size are not known to fit one;
     * avc1: 14496-15 AVC storage; mp41 for older players; dash: ISO/IEC 23009-1 segments.
     */
    static final List<String> COMPATIBLE_BRANDS = List.of("iso6", "cmfc", "avc1", "mp41", "dash");

    /** ISO/IEC 14496-12 section 8.8.3.1 sample flags: sample_depends_on = 2, does not depend on others (I picture). */
    static final int SYNC_SAMPLE_FLAGS = 0x0200_0000;
    /** sample_depends_on = 1 (depends on others) and sample_is_non_sync_sample = 1. */
    static final int NON_SYNC_SAMPLE_FLAGS = 0x0101_0000;
    static final int NON_SYNC_BIT = 0x0001_0000;

    // Section 8.8.7.1 tfhd flags and 8.8.8.1 trun flags.
    static final int TFHD_BASE_DATA_OFFSET = 0x00_0001;
    static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x00_0002;
    static final int TFHD_DEFAULT_DURATION = 0x00_0008;
    static final int TFHD_DEFAULT_SIZE = 0x00_0010;
    static final int TFHD_DEFAULT_FLAGS = 0x00_0020;
    static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;
    static final int TRUN_DATA_OFFSET = 0x000_001;
    static final int TRUN_FIRST_SAMPLE_FLAGS = 0x000_004;
    static final int TRUN_DURATION = 0x000_100;
    static final int TRUN_SIZE = 0x000_200;
    static final int TRUN_FLAGS = 0x000_400;
    static final int TRUN_COMPOSITION_OFFSET = 0x000_800;

    private static final int[] UNITY_MATRIX = {0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000};

    private Fmp4Writer() {
    }

    /**
     * The init segment of one H.264 track: {@code ftyp}, then {@code moov} with no samples (empty sample tables) and
     * {@code mvex}, which says fragments follow, as MSE requires.
     *
     * @param timescale ticks per second of media time; 90000 matches {@link AccessUnit#pts90k()} exactly
     */
    public static byte[] initSegment(StreamFormat format, int timescale) {
        if (timescale <= 0) {
            throw new IllegalArgumentException("timescale " + timescale + " is not positive");
        }
        if (format.width() <= 0 || format.width() > 0xFFFF || format.height() <= 0 || format.height() > 0xFFFF) {
            throw new IllegalArgumentException("picture size " + format.width() + "x" + format.height()
                    + " does not fit 16 bits");
        }
        BoxWriter out = new BoxWriter(1024 + format.sps().length + format.pps().length);
        out.start("ftyp").fourcc(MAJOR_BRAND).u32(0);
        COMPATIBLE_BRANDS.forEach(out::fourcc);
        out.end();
        out.start("moov");
        movieHeader(out);
        out.start("trak");
        trackHeader(out, format);
        out.start("mdia");
        out.startFull("mdhd", 0, 0).u32(0).u32(0).u32(timescale).u32(0)
                .u16(0x55C4) // language "und", ISO 639-2/T packed in 5-bit letters
                .u16(0).end();
        out.startFull("hdlr", 0, 0).u32(0).fourcc("vide").zeros(12)
                .bytes("Outpost H.264\0".getBytes(StandardCharsets.US_ASCII)).end();
        out.start("minf");
        out.startFull("vmhd", 0, 1).u16(0).zeros(6).end(); // flags 1 as 12.1.2 requires; copy mode
        out.start("dinf").startFull("dref", 0, 0).u32(1)
                .startFull("url ", 0, 1).end() // flag 1: the media is in this file
                .end().end();
        out.start("stbl");
        out.startFull("stsd", 0, 0).u32(1);
        sampleEntry(out, format);
        out.end();
        out.startFull("stts", 0, 0).u32(0).end();
        out.startFull("stsc", 0, 0).u32(0).end();
        out.startFull("stsz", 0, 0).u32(0).u32(0).end();
        out.startFull("stco", 0, 0).u32(0).end();
        out.end().end().end().end(); // stbl, minf, mdia, trak
        out.start("mvex").startFull("trex", 0, 0)
                .u32(TRACK_ID).u32(1) // default_sample_description_index
                .u32(0).u32(0).u32(NON_SYNC_SAMPLE_FLAGS) // defaults; every trun overrides them
                .end().end();
        out.end(); // moov
        return out.toByteArray();
    }

    /**
     * A fragment of access units on the 90 kHz timescale, with a {@code prft} holding the first one's capture time;
     * see {@link Fragment#fromAccessUnits} for how durations come from pts.
     *
     * @param baseMediaDecodeTime decode time of the first access unit, 90 kHz; its pts when fragments should keep
     *                            the camera's clock
     * @param nextPts             pts of the access unit after the last, which measures the last one's duration;
     *                            empty to repeat the duration before it. MSE takes a decode-time jump of more than
     *                            twice the last duration for a gap and drops pictures up to the next keyframe, so
     *                            pass it when known
     */
    public static byte[] fragment(long sequenceNumber, List<AccessUnit> samples, long baseMediaDecodeTime,
                                  OptionalLong nextPts) {
        return fragment(Fragment.fromAccessUnits(sequenceNumber, samples, baseMediaDecodeTime, nextPts,
                Fragment.TIMESCALE_90K));
    }

    /**
     * {@code prft} (when present), {@code moof} and {@code mdat}. Each sample has its own duration, size and flags in
     * {@code trun}; composition offsets are written (signed, {@code trun} version 1) only when one is not zero, which
     * never happens for streams without B-frames.
     */
    public static byte[] fragment(Fragment fragment) {
        List<Sample> samples = fragment.samples();
        long mdatPayload = 0;
        boolean compositionOffsets = false;
        for (Sample s : samples) {
            mdatPayload += s.size();
            compositionOffsets |= s.compositionOffset() != 0;
        }
        if (mdatPayload > Integer.MAX_VALUE - 8 - 1024L - 16L * samples.size()) {
            throw new IllegalArgumentException("fragment of " + mdatPayload + " bytes is over 2 GiB");
        }
        BoxWriter out = new BoxWriter((int) mdatPayload + 200 + 16 * samples.size());
        fragment.producerReferenceTime().ifPresent(prft -> out.startFull("prft", 1, prft.flags())
                .u32(TRACK_ID).u64(prft.ntpTimestamp()).u64(prft.mediaTime()).end());
        int moofStart = out.position();
        out.start("moof");
        out.startFull("mfhd", 0, 0).u32(fragment.sequenceNumber()).end();
        out.start("traf");
        out.startFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF).u32(TRACK_ID).end();
        out.startFull("tfdt", 1, 0).u64(fragment.baseMediaDecodeTime()).end();
        int trunFlags = TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS
                | (compositionOffsets ? TRUN_COMPOSITION_OFFSET : 0);
        out.startFull("trun", compositionOffsets ? 1 : 0, trunFlags).u32(samples.size());
        int dataOffsetAt = out.position();
        out.u32(0);
        for (Sample s : samples) {
            out.u32(s.duration()).u32(s.size()).u32(s.sync() ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
            if (compositionOffsets) {
                out.u32(s.compositionOffset());
            }
        }
        out.end().end().end(); // trun, traf, moof
        // default-base-is-moof: the offset counts from the moof's first byte to the first sample in mdat.
        out.putU32(dataOffsetAt, out.position() - moofStart + 8);
        out.start("mdat");
        samples.forEach(s -> out.bytes(s.data()));
        out.end();
        return out.toByteArray();
    }

    // Section 8.2.2: times are 0 (unknown), duration 0 since the movie is fragmented.
    private static void movieHeader(BoxWriter out) {
        out.startFull("mvhd", 0, 0).u32(0).u32(0)
                .u32(1000).u32(0) // timescale of the (empty) movie timeline, duration
                .u32(0x0001_0000).u16(0x0100).zeros(10); // rate 1.0, volume 1.0, reserved
        matrix(out);
        out.zeros(24).u32(TRACK_ID + 1).end(); // pre_defined, next_track_ID
    }

    // Section 8.3.2: flags 3 = track_enabled | track_in_movie.
    private static void trackHeader(BoxWriter out, StreamFormat format) {
        out.startFull("tkhd", 0, 3).u32(0).u32(0).u32(TRACK_ID).u32(0).u32(0)
                .zeros(8).u16(0).u16(0).u16(0).u16(0); // reserved, layer, alternate_group, volume (video: 0), reserved
        matrix(out);
        out.u32((long) format.width() << 16).u32((long) format.height() << 16).end(); // 16.16 fixed point
    }

    // Section 12.1.3 VisualSampleEntry, then the avcC box of ISO/IEC 14496-15 section 5.4.2.
    private static void sampleEntry(BoxWriter out, StreamFormat format) {
        out.start("avc1").zeros(6).u16(1) // reserved, data_reference_index
                .zeros(16) // pre_defined, reserved, pre_defined[3]
                .u16(format.width()).u16(format.height())
                .u32(0x0048_0000).u32(0x0048_0000) // 72 dpi
                .u32(0).u16(1) // reserved, frame_count
                .zeros(32) // compressorname: empty
                .u16(0x0018).u16(0xFFFF); // depth: colour, pre_defined -1
        out.start("avcC");
        AvcDecoderConfiguration.write(out, format);
        out.end();
        out.end();
    }

    private static void matrix(BoxWriter out) {
        for (int v : UNITY_MATRIX) {
            out.u32(v & 0xFFFF_FFFFL);
        }
    }
}
