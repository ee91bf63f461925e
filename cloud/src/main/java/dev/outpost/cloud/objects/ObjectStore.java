package dev.outpost.cloud.objects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the cloud keeps images, backups and clips (DESIGN.md, "Storage"): a directory by default. Keys are
 * paths of {@code [A-Za-z0-9._-]} segments joined by {@code /}. Putting the same key again replaces the object,
 * so storing a resent item twice is harmless. Blocking: call it from virtual threads.
 */
public interface ObjectStore {
    void put(String key, byte[] bytes) throws IOException;

    Optional<byte[]> get(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Stores the content of {@code file} as {@code key} without holding it in memory (a clip). */
    void putFile(String key, Path file) throws IOException;

    /** The length of the object {@code key}; empty when there is none. */
    Optional<Long> size(String key) throws IOException;

    /**
     * Up to {@code length} bytes of the object {@code key} from {@code offset} (fewer at its end); empty when there is
     * no such object. How clips are served with {@code Range}.
     */
    Optional<byte[]> read(String key, long offset, int length) throws IOException;

    /** Whether {@code key} is a key this store takes: checked before any file or request is made of it. */
    static String checkKey(String key) {
        if (key.isEmpty() || key.length() > 300 || !key.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
                || key.contains("..")) {
            throw new IllegalArgumentException("not an object key: " + key);
        }
        return key;
    }
}
