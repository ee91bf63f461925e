package dev.outpost.client;

import dev.outpost.wire.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@code outpost} command keeps its login: {@code session.json} in
 * {@code $OUTPOST_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/outpost}, else {@code ~/.config/outpost}.
 * The file holds a secret (the token), so it is readable by its owner only (0600, in a 0700
 * directory), and it is replaced atomically: a crash leaves the old session or the new one, never half.
 */
public final class SessionStore {
    public static final String FILE_NAME = "session.json";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    public SessionStore(Path directory) {
        this.directory = directory;
    }

    /** The store the environment names (see the class comment). */
    public static SessionStore standard() {
        return new SessionStore(standardDirectory(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Path standardDirectory(Map<String, String> env, Path home) {
        String explicit = env.get("OUTPOST_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "outpost");
        }
        return home.resolve(".config").resolve("outpost");
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /**
     * The saved session, or empty if nobody is logged in.
     *
     * @throws UncheckedIOException if the file exists but cannot be read or is damaged; the message
     *                              says which file and that logging in again replaces it
     */
    public Optional<Session> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the session file " + file() + ": " + e.getMessage(), e);
        }
        try {
            SessionFile saved = Json.read(bytes, SessionFile.class);
            return Optional.of(saved.toSession());
        } catch (RuntimeException e) {
            throw new UncheckedIOException("the session file " + file() + " is damaged (" + e.getMessage()
                    + "); log in again to replace it", new IOException(e));
        }
    }

    /** Saves the session, replacing any earlier one. */
    public void save(Session session) {
        byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(SessionFile.of(session));
        try {
            createDirectory();
            Path temporary = posix()
                    ? Files.createTempFile(directory, ".session-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : Files.createTempFile(directory, ".session-", ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                move(temporary, file());
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the session in " + file() + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the session; returns whether there was one. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the session file " + file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SessionStore[" + file() + "]";
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        FileAttribute<?>[] attributes = posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY)}
                : new FileAttribute<?>[0];
        try {
            Files.createDirectories(directory, attributes);
        } catch (FileAlreadyExistsException e) {
            // another process made it first
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** The file's layout; its own type so the format stays put when {@link Session} grows. */
    record SessionFile(String cloud, String token, String pinnedFingerprint, String email, Instant expiresAt) {
        static SessionFile of(Session session) {
            return new SessionFile(session.cloud().toString(), session.token(),
                    session.pinnedFingerprint().orElse(null), session.email(), session.expiresAt().orElse(null));
        }

        Session toSession() {
            if (cloud == null || token == null || email == null) {
                throw new IllegalArgumentException("cloud, token and email are required");
            }
            return new Session(URI.create(cloud), token, Optional.ofNullable(pinnedFingerprint), email,
                    Optional.ofNullable(expiresAt));
        }
    }
}
