package dev.outpost.recorder.samples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The clips of a set of sample cameras, each loaded (or made) once and then shared: cameras that play the same clip
 * play the same pictures in memory, so many cameras on a few clips cost the memory of a few.
 */
final class SampleClips {
    private final Path cacheDir;
    private final Map<SampleSpec, SampleVideo> loaded = new ConcurrentHashMap<>();
    private final Map<SampleSpec, Object> makers = new ConcurrentHashMap<>();

    /** @param cacheDir where the clips are kept (see {@link SampleVideo#load}) */
    SampleClips(Path cacheDir) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /**
     * The clip for {@code spec}, loaded by the first caller; others asking for it meanwhile wait for that one
     * rather than make it a second time. Blocks: call it off event loops.
     *
     * @param stop asked while the clip is being made; a caller that gives up leaves it for the next caller to make
     */
    SampleVideo load(SampleSpec spec, BooleanSupplier stop) throws IOException {
        SampleVideo video = loaded.get(spec);
        if (video != null) {
            return video;
        }
        synchronized (makers.computeIfAbsent(spec, s -> new Object())) { // platform threads: no carrier pinned
            video = loaded.get(spec);
            if (video == null) {
                video = SampleVideo.load(cacheDir, spec, stop);
                loaded.put(spec, video);
            }
            return video;
        }
    }
}
