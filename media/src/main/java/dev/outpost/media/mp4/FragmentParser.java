package dev.outpost.media.mp4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the movie fragments of one byte array for {@link BoxReader}: {@code moof} (ISO/IEC 14496-12 section 8.8.4)
 * to samples whose bytes must lie in an {@code mdat} of the same array. The bytes copied out over all fragments are
 * bounded by the array's length, so fragments that all point at one large {@code mdat} cannot multiply memory.
 */
final class FragmentParser {
    private final byte[] data;
    private final List<Box> top;
    private long copied;

    FragmentParser(byte[] data, List<Box> top) {
        this.data = data;
        this.top = top;
    }

    /** Section 8.16.5: a producer reference time. */
    static ProducerReferenceTime readPrft(byte[] data, Box box) {
        ByteCursor in = new ByteCursor(data, box);
        int version = in.u8();
        int flags = in.u24();
        in.skip(4); // reference_track_ID: the one video track
        long ntp = in.u32() << 32 | in.u32();
        long mediaTime = version == 1 ? in.u64("media_time") : in.u32();
        return new ProducerReferenceTime(flags, ProducerReferenceTime.microsOfNtp(ntp), mediaTime);
    }

    Fragment read(Box moof, Optional<ProducerReferenceTime> prft) {
        ByteCursor mfhd = BoxReader.fullBox(data, moof.require("mfhd"));
        long sequenceNumber = mfhd.u32();
        List<Box> trafs = moof.children("traf");
        if (trafs.size() != 1) {
            throw new Mp4FormatException(moof.offset(), "'moof' box has " + trafs.size()
                    + " track fragments; Outpost reads one video track");
        }
        Box traf = trafs.getFirst();
        TrackFragmentHeader tfhd = TrackFragmentHeader.read(data, traf.require("tfhd"), moof.offset());
        ByteCursor tfdt = new ByteCursor(data, traf.require("tfdt"));
        int tfdtVersion = tfdt.u8();
        tfdt.skip(3);
        long baseMediaDecodeTime = tfdtVersion == 1 ? tfdt.u64("baseMediaDecodeTime") : tfdt.u32();

        List<Sample> samples = new ArrayList<>();
        long dataPos = tfhd.baseDataOffset();
        for (Box trun : traf.children("trun")) {
            dataPos = readRun(trun, tfhd, dataPos, samples);
        }
        if (samples.isEmpty()) {
            throw new Mp4FormatException(traf.offset(), "track fragment has no samples");
        }
        return new Fragment(sequenceNumber, baseMediaDecodeTime, samples, prft);
    }

    /** Section 8.8.8: one track run; adds its samples and returns where the next run's data starts by default. */
    private long readRun(Box trun, TrackFragmentHeader tfhd, long defaultDataPos, List<Sample> samples) {
        ByteCursor in = new ByteCursor(data, trun);
        int version = in.u8();
        int flags = in.u24();
        int countAt = in.position();
        int count = in.u31("sample_count");
        long dataPos = (flags & Fmp4Writer.TRUN_DATA_OFFSET) != 0 ? tfhd.baseDataOffset() + in.i32() : defaultDataPos;
        int firstFlags = (flags & Fmp4Writer.TRUN_FIRST_SAMPLE_FLAGS) != 0 ? in.i32() : -1;
        int entryBytes = 4 * Integer.bitCount(flags & (Fmp4Writer.TRUN_DURATION | Fmp4Writer.TRUN_SIZE
                | Fmp4Writer.TRUN_FLAGS | Fmp4Writer.TRUN_COMPOSITION_OFFSET));
        if (count > BoxReader.MAX_SAMPLES - samples.size() || (long) count * entryBytes > in.remaining()) {
            throw in.error(countAt, count + " samples do not fit (" + in.remaining() + " bytes of entries, at most "
                    + BoxReader.MAX_SAMPLES + " samples a fragment)");
        }
        long runStart = dataPos;
        for (int i = 0; i < count; i++) {
            int entryAt = in.position();
            long duration = (flags & Fmp4Writer.TRUN_DURATION) != 0 ? in.u32() : tfhd.defaultDuration(in);
            long size = (flags & Fmp4Writer.TRUN_SIZE) != 0 ? in.u32() : tfhd.defaultSize(in);
            int sampleFlags = (flags & Fmp4Writer.TRUN_FLAGS) != 0 ? in.i32()
                    : i == 0 && firstFlags != -1 ? firstFlags : tfhd.sampleFlags();
            int compositionOffset = 0;
            if ((flags & Fmp4Writer.TRUN_COMPOSITION_OFFSET) != 0) {
                compositionOffset = in.i32();
                if (version == 0 && compositionOffset < 0) {
                    throw in.error(entryAt, "unsigned composition offset " + (compositionOffset & 0xFFFF_FFFFL)
                            + " is out of range");
                }
            }
            if (dataPos < 0 || dataPos > data.length || size > data.length - dataPos) {
                throw in.error(entryAt, "sample " + i + " of " + size + " bytes at offset " + dataPos
                        + " lies outside the data (" + data.length + " bytes)");
            }
            copied += size;
            if (copied > data.length) {
                throw in.error(entryAt, "samples add up to more bytes than the data holds: they overlap");
            }
            samples.add(new Sample(duration, compositionOffset, (sampleFlags & Fmp4Writer.NON_SYNC_BIT) == 0,
                    Arrays.copyOfRange(data, (int) dataPos, (int) (dataPos + size))));
            dataPos += size;
        }
        if (count > 0) {
            requireInMdat(trun, runStart, dataPos);
        }
        return dataPos;
    }

    private void requireInMdat(Box trun, long from, long to) {
        for (Box box : top) {
            if (box.type().equals("mdat") && from >= box.contentOffset() && to <= box.end()) {
                return;
            }
        }
        throw new Mp4FormatException(trun.offset(), "'trun' box's sample data at bytes " + from + ".." + to
                + " is not inside an 'mdat' box");
    }

    /** Section 8.8.7: the track fragment header's defaults and where sample data offsets count from. */
    private record TrackFragmentHeader(long baseDataOffset, long duration, long size, int sampleFlags) {
        static TrackFragmentHeader read(byte[] data, Box box, long moofOffset) {
            ByteCursor in = new ByteCursor(data, box);
            in.u8();
            int flags = in.u24();
            in.skip(4); // track_ID: the one video track
            // Without base-data-offset, data offsets count from the moof: the rule for the first traf, and
            // default-base-is-moof's for every traf.
            long base = (flags & Fmp4Writer.TFHD_BASE_DATA_OFFSET) != 0 ? in.u64("base_data_offset") : moofOffset;
            if ((flags & Fmp4Writer.TFHD_SAMPLE_DESCRIPTION_INDEX) != 0) {
                in.skip(4);
            }
            long duration = (flags & Fmp4Writer.TFHD_DEFAULT_DURATION) != 0 ? in.u32() : -1;
            long size = (flags & Fmp4Writer.TFHD_DEFAULT_SIZE) != 0 ? in.u32() : -1;
            int sampleFlags = (flags & Fmp4Writer.TFHD_DEFAULT_FLAGS) != 0 ? in.i32() : 0;
            return new TrackFragmentHeader(base, duration, size, sampleFlags);
        }

        long defaultDuration(ByteCursor trun) {
            if (duration < 0) {
                throw trun.error(trun.position(), "sample has no duration, in 'trun' or 'tfhd'");
            }
            return duration;
        }

        long defaultSize(ByteCursor trun) {
            if (size < 0) {
                throw trun.error(trun.position(), "sample has no size, in 'trun' or 'tfhd'");
            }
            return size;
        }
    }
}
