package dev.outpost.media.mp4;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An H.264 Annex B byte stream (ITU-T H.264 Annex B, as {@code ffmpeg -f h264} writes it) cut into access units the
 * way the recorder gets them from RTP: AVCC NAL units, the SPS and PPS lifted out into the format, timestamps on a
 * constant frame rate.
 */
record AnnexBStream(StreamFormat format, List<AccessUnit> units) {
    static final int NAL_SEI = 6;
    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    static AnnexBStream parse(byte[] annexB, int width, int height, long firstPts90k, int ptsStep,
                              long firstCaptureMicros) {
        byte[] sps = null;
        byte[] pps = null;
        List<List<byte[]>> pictures = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean currentHasSlice = false;
        for (byte[] nal : nalUnits(annexB)) {
            int type = nal[0] & 0x1F;
            boolean slice = type == 1 || type == NAL_IDR;
            // H.264 section 7.4.1.2.3: an AUD, SPS, PPS or SEI after a slice, or a slice whose first_mb_in_slice is 0
            // (its first bit is 1), opens the next access unit.
            boolean opensPicture = slice ? (nal[1] & 0x80) != 0
                    : type == NAL_AUD || type == NAL_SPS || type == NAL_PPS || type == NAL_SEI;
            if (opensPicture && currentHasSlice) {
                pictures.add(current);
                current = new ArrayList<>();
                currentHasSlice = false;
            }
            switch (type) {
                case NAL_SPS -> sps = sps == null ? nal : sps;
                case NAL_PPS -> pps = pps == null ? nal : pps;
                case NAL_AUD -> { }
                default -> current.add(nal);
            }
            currentHasSlice |= slice;
        }
        if (currentHasSlice) {
            pictures.add(current);
        }
        if (sps == null || pps == null) {
            throw new IllegalArgumentException("the stream has no SPS or PPS");
        }
        List<AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < pictures.size(); i++) {
            ByteArrayOutputStream avcc = new ByteArrayOutputStream();
            boolean keyframe = false;
            for (byte[] nal : pictures.get(i)) {
                keyframe |= (nal[0] & 0x1F) == NAL_IDR;
                avcc.write(nal.length >>> 24);
                avcc.write(nal.length >>> 16);
                avcc.write(nal.length >>> 8);
                avcc.write(nal.length);
                avcc.writeBytes(nal);
            }
            long pts = firstPts90k + (long) i * ptsStep;
            long capture = firstCaptureMicros + Fragment.scale(pts - firstPts90k, 90_000, 1_000_000);
            units.add(new AccessUnit(pts, capture, keyframe, avcc.toByteArray()));
        }
        return new AnnexBStream(new StreamFormat(sps, pps, width, height), units);
    }

    /** The NAL units between start codes (00 00 01, or 00 00 00 01), without trailing zero bytes. */
    static List<byte[]> nalUnits(byte[] s) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < s.length) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
                if (start >= 0) {
                    nals.add(trimmed(s, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            nals.add(trimmed(s, start, s.length));
        }
        return nals;
    }

    private static byte[] trimmed(byte[] s, int from, int to) {
        while (to > from && s[to - 1] == 0) {
            to--;
        }
        return Arrays.copyOfRange(s, from, to);
    }
}
