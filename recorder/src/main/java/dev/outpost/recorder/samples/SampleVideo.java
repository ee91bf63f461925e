package dev.outpost.recorder.samples;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.H264FormatException;
import dev.outpost.media.h264.NalUnits;
import dev.outpost.media.h264.StreamFormat;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sample clip in memory, ready to play: its format and its pictures as AVCC access units, presentation
 * times from 0 in steps of {@link SampleSpec#ptsStep}, capture times 0 (the player stamps them).
 * {@link #load} makes the clip on first use and keeps it in a cache directory.
 *
 * @param spec     what it was made from
 * @param format   its SPS and PPS (lifted out of the pictures, as a camera's SDP carries them)
 * @param pictures one access unit per picture, in order, a keyframe every {@link SampleSpec#gop}
 */
public record SampleVideo(SampleSpec spec, StreamFormat format, List<AccessUnit> pictures) {
    private static final Logger log = LoggerFactory.getLogger(SampleVideo.class);

    public SampleVideo {
        pictures = List.copyOf(pictures);
    }

    /** {@code $XDG_CACHE_HOME/outpost/samples}, or {@code ~/.cache/outpost/samples}: shared by every data directory. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("outpost").resolve("samples");
    }

    /**
     * The clip for {@code spec}: read from {@code cacheDir}, or encoded there first (temporary file, then an
     * atomic rename, so a crash or a concurrent run never leaves half a clip). Blocks: call it off event loops.
     *
     * @throws IOException if it cannot be written or read, or FFmpeg fails
     */
    public static SampleVideo load(Path cacheDir, SampleSpec spec) throws IOException {
        return load(cacheDir, spec, () -> false);
    }

    /**
     * {@link #load(Path, SampleSpec)}, giving up if {@code stop} says so while the clip is being made.
     *
     * @throws java.io.InterruptedIOException if it gave up; no file is left behind
     */
    public static SampleVideo load(Path cacheDir, SampleSpec spec, BooleanSupplier stop) throws IOException {
        Path file = cacheDir.resolve(spec.fileName());
        if (!Files.isRegularFile(file)) {
            Files.createDirectories(cacheDir);
            deleteStaleTemporaryFiles(cacheDir);
            log.info("sample camera {}: making its {}x{} clip in {} (first use only; this takes a while)",
                    spec.number(), spec.width(), spec.height(), cacheDir);
            Path tmp = Files.createTempFile(cacheDir, spec.fileName(), ".tmp");
            try {
                SampleEncoder.encode(spec, tmp, stop);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            return parse(spec, Files.readAllBytes(file));
        } catch (H264FormatException | IllegalStateException e) {
            Files.deleteIfExists(file); // made next time anew
            throw new IOException("sample clip " + file + " is damaged and was deleted: " + e.getMessage(), e);
        }
    }

    /** Temporary files an earlier run left when it stopped while encoding; an hour old, so none still being written. */
    private static void deleteStaleTemporaryFiles(Path cacheDir) throws IOException {
        Instant before = Instant.now().minus(Duration.ofHours(1));
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(cacheDir, "sample-*.tmp")) {
            for (Path file : stale) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Splits an Annex B stream into pictures. H.264 section 7.4.1.2.3: a parameter set, SEI or AUD after a slice,
     * or a slice whose first_mb_in_slice is 0 (its first bit set), opens the next access unit.
     */
    static SampleVideo parse(SampleSpec spec, byte[] annexB) {
        byte[] sps = null;
        byte[] pps = null;
        List<AccessUnit> pictures = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean currentHasSlice = false;
        boolean currentKey = false;
        for (byte[] nal : NalUnits.splitAnnexB(annexB)) {
            int type = NalUnits.type(nal);
            boolean slice = NalUnits.isSlice(type);
            boolean opens = slice ? nal.length > 1 && (nal[1] & 0x80) != 0
                    : type >= NalUnits.SEI && type <= NalUnits.ACCESS_UNIT_DELIMITER;
            if (opens && currentHasSlice) {
                pictures.add(unit(spec, pictures.size(), currentKey, current));
                current = new ArrayList<>();
                currentHasSlice = false;
                currentKey = false;
            }
            switch (type) {
                case NalUnits.SPS -> sps = checkSame("SPS", sps, nal);
                case NalUnits.PPS -> pps = checkSame("PPS", pps, nal);
                case NalUnits.ACCESS_UNIT_DELIMITER, NalUnits.SEI -> { }
                default -> current.add(nal);
            }
            currentHasSlice |= slice;
            currentKey |= type == NalUnits.IDR_SLICE;
        }
        if (currentHasSlice) {
            pictures.add(unit(spec, pictures.size(), currentKey, current));
        }
        if (sps == null || pps == null) {
            throw new IllegalStateException("no SPS or PPS in the clip");
        }
        if (pictures.isEmpty() || !pictures.getFirst().keyframe()) {
            throw new IllegalStateException("the clip does not start with a keyframe");
        }
        return new SampleVideo(spec, StreamFormat.of(sps, pps), pictures);
    }

    private static byte[] checkSame(String what, byte[] known, byte[] nal) {
        if (known != null && !Arrays.equals(known, nal)) {
            throw new IllegalStateException("the clip's " + what + " changes midway");
        }
        return Optional.ofNullable(known).orElse(nal);
    }

    private static AccessUnit unit(SampleSpec spec, int index, boolean keyframe, List<byte[]> nals) {
        return new AccessUnit(index * spec.ptsStep(), 0, keyframe, NalUnits.toAvcc(nals));
    }

    /** The clip's length on the 90 kHz clock: what each loop adds to presentation times. */
    public long durationPts() {
        return pictures.size() * spec.ptsStep();
    }

    /** Bytes of coded video (AVCC), parameter sets aside. */
    public long bytes() {
        return pictures.stream().mapToLong(AccessUnit::size).sum();
    }

    /** The clip's mean bit rate. */
    public long bitsPerSecond() {
        return bytes() * 8 * spec.fps() / Math.max(1, pictures.size());
    }
}
