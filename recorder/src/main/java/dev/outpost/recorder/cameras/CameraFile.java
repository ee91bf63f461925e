package dev.outpost.recorder.cameras;

import dev.outpost.recorder.store.OwnerOnlyFile;
import dev.outpost.wire.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recorder's cameras as changed at runtime, kept in {@code DATA/cameras.json} so they survive a restart. It
 * holds camera passwords, so it is written mode 0600, and atomically (a temporary file forced to disk, then moved
 * over the old one): a crash leaves the old list or the new one, never half of one.
 *
 * <p>Besides the cameras it keeps the ids of config-file cameras removed at runtime, so that a restart does not
 * bring them back from the config file (see {@link CameraSet}).
 */
final class CameraFile {
    static final String FILE_NAME = "cameras.json";
    private static final int FORMAT = 1;
    /** Far more than {@link CameraSet#MAX_CAMERAS} cameras take; a bigger file is not ours. */
    private static final long MAX_BYTES = 4L << 20;

    /** What the file says: the cameras, in order, and the config-file ids removed at runtime. */
    record Contents(List<CameraConfig> cameras, List<String> removed) {
        Contents {
            cameras = List.copyOf(cameras);
            removed = List.copyOf(removed);
        }
    }

    /** The JSON form; URLs keep their credentials, which is why the file is 0600. */
    record Stored(int format, List<StoredCamera> cameras, List<String> removed) {
    }

    record StoredCamera(String id, String name, String mainUrl, String subUrl, String transport) {
    }

    private final Path file;

    CameraFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    Path path() {
        return file;
    }

    /**
     * The saved list, or empty if no camera was ever changed at runtime.
     *
     * @throws IOException if the file cannot be read or is not a camera list; the message says what to do, and
     *                     the recorder does not start rather than run without cameras someone set up
     */
    Optional<Contents> load() throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes: it is not a camera list; "
                        + "restore it from a backup, or delete it to start from the config file's cameras");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Stored stored;
        try {
            stored = Json.read(bytes, Stored.class);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not valid JSON: restore it from a backup, or delete it to start from "
                    + "the config file's cameras");
        }
        try {
            if (stored.format() != FORMAT) {
                throw new IllegalArgumentException("format " + stored.format() + " is not " + FORMAT);
            }
            List<CameraConfig> cameras = new ArrayList<>();
            for (StoredCamera c : Optional.ofNullable(stored.cameras()).orElse(List.of())) {
                if (c == null || c.mainUrl() == null || c.subUrl() == null || c.transport() == null) {
                    throw new IllegalArgumentException("a camera lacks mainUrl, subUrl or transport");
                }
                cameras.add(new CameraConfig(c.id(), c.name(), parse(c.mainUrl()), parse(c.subUrl()),
                        RtpTransport.fromLabel(c.transport())));
            }
            List<String> removed = Optional.ofNullable(stored.removed()).orElse(List.of()).stream()
                    .filter(id -> id != null).toList();
            return Optional.of(new Contents(cameras, removed));
        } catch (RuntimeException e) {
            // InvalidCameraSetting messages never hold a password.
            throw new IOException(file + " is not a camera list: " + e.getMessage() + "; fix or delete it", e);
        }
    }

    /** Replaces the saved list; blocking, so never called on an event loop. */
    void save(Contents contents) throws IOException {
        List<StoredCamera> cameras = contents.cameras().stream().map(c -> new StoredCamera(c.id(), c.name(),
                c.mainUrl().toString(), c.subUrl().toString(), c.transport().label())).toList();
        OwnerOnlyFile.replace(file, Json.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Stored(FORMAT, cameras, contents.removed())));
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("a camera URL is not a URL (" + e.getReason() + ")");
        }
    }

}
