package dev.outpost.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes the scratch directory a test peer (squid, PostgreSQL, a GStreamer camera) kept its files in. */
final class ScratchDirectory {
    private static final Logger log = LoggerFactory.getLogger(ScratchDirectory.class);

    private ScratchDirectory() {
    }

    /** Deletes {@code directory} and all in it; a failure is logged, not thrown, since it only leaves litter. */
    static void delete(Path directory, String what) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot delete the {} directory {}: {}", what, directory, e.toString());
        }
    }
}
