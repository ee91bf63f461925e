package dev.outpost.cloud.clips;

import dev.outpost.wire.outbox.ClipFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a clip from a recorder's outbox in parts (docs/link.md, "Clips in parts"), so a link drop costs at most the
 * part under way: each part is checked against the SHA-256 the recorder sent with it (a damaged one is asked for
 * again, up to {@link #TRIES} times), then kept on the cloud's disk under {@code DATA/clip-parts/{recorder}/{key}/}
 * (written to a temporary name, forced and renamed), where a later attempt, after a link drop or a restart of either
 * side, finds it and goes on from the first part missing. Once all are there they are joined into one file whose
 * SHA-256 must be the clip's; otherwise every part is thrown away and fetched again. Blocking: virtual threads.
 */
public final class ClipParts {
    private static final Logger LOG = LoggerFactory.getLogger(ClipParts.class);
    /** Times one part is asked for when it arrives damaged, before the attempt gives up (to try again later). */
    static final int TRIES = 3;

    /** A part, or the whole, arrived damaged {@link #TRIES} times: the link is fine, the item is not (yet). */
    public static final class DamagedException extends IOException {
        DamagedException(String message) {
            super(message);
        }
    }

    /** One part as the recorder answered it. */
    public record Part(int status, byte[] bytes, String sha256) {
    }

    /** Where parts come from: the recorder, over its link ({@code GET /api/outbox/items/{key}/parts/{n}}). */
    @FunctionalInterface
    public interface PartSource {
        Part part(int n) throws IOException, InterruptedException;
    }

    /** Parts of an item untouched this long are of a clip its recorder gave up (or was removed): deleted at start. */
    static final java.time.Duration ABANDONED = java.time.Duration.ofDays(7);

    private final Path root;

    /** Keeps parts under {@code root}, deleting those of items untouched for {@link #ABANDONED}. */
    public ClipParts(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        java.nio.file.attribute.FileTime cutoff = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(ABANDONED));
        try (Stream<Path> recorders = Files.list(root)) {
            for (Path recorder : recorders.toList()) {
                if (!Files.isDirectory(recorder)) {
                    continue;
                }
                try (Stream<Path> items = Files.list(recorder)) {
                    for (Path item : items.toList()) {
                        if (Files.getLastModifiedTime(item).compareTo(cutoff) < 0) {
                            LOG.info("deleting the parts of clip {} of recorder {}: untouched for {} days",
                                    item.getFileName(), recorder.getFileName(), ABANDONED.toDays());
                            forget(recorder.getFileName().toString(), item.getFileName().toString());
                        }
                    }
                }
            }
        }
    }

    /**
     * The whole clip of outbox item {@code itemKey}, checked, fetching the parts not yet kept.
     *
     * @return the joined file; empty when the recorder no longer has the item (given up, or acknowledged meanwhile)
     * @throws IOException when the link fails, or a part or the whole arrives damaged {@link #TRIES} times
     */
    public Optional<Path> fetch(String recorderId, String itemKey, ClipFacts facts, PartSource source)
            throws IOException, InterruptedException {
        Path dir = dirOf(recorderId, itemKey);
        Files.createDirectories(dir);
        Path whole = dir.resolve("clip.mp4");
        if (Files.exists(whole) && Files.size(whole) == facts.bytes()) {
            return Optional.of(whole); // joined and checked before a restart
        }
        int parts = ClipFacts.parts(facts.bytes());
        for (int n = 0; n < parts; n++) {
            Path file = partFile(dir, n);
            long expected = Math.min(ClipFacts.PART_BYTES, facts.bytes() - (long) n * ClipFacts.PART_BYTES);
            if (Files.exists(file) && Files.size(file) == expected) {
                continue; // stored before the link dropped
            }
            if (!fetchPart(source, n, expected, file, itemKey)) {
                return Optional.empty();
            }
        }
        Path joining = dir.resolve("clip.mp4.tmp");
        String sha256;
        try (OutputStream out = Files.newOutputStream(joining)) {
            MessageDigest digest = sha256();
            byte[] buffer = new byte[1 << 16];
            for (int n = 0; n < parts; n++) {
                try (InputStream in = Files.newInputStream(partFile(dir, n))) {
                    for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                        digest.update(buffer, 0, read);
                        out.write(buffer, 0, read);
                    }
                }
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        if (!sha256.equals(facts.sha256())) {
            forget(recorderId, itemKey);
            throw new DamagedException("clip " + itemKey + " of recorder " + recorderId + " joined to SHA-256 " + sha256
                    + ", not the recorder's " + facts.sha256() + ": every part is fetched again");
        }
        force(joining);
        Files.move(joining, whole, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (int n = 0; n < parts; n++) {
            Files.deleteIfExists(partFile(dir, n));
        }
        return Optional.of(whole);
    }

    private boolean fetchPart(PartSource source, int n, long expected, Path file, String itemKey)
            throws IOException, InterruptedException {
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            Part part = source.part(n);
            if (part.status() == 404) {
                return false;
            }
            if (part.status() != 200) {
                throw new IOException("part " + n + " of clip " + itemKey + ": status " + part.status());
            }
            String actual = HexFormat.of().formatHex(sha256().digest(part.bytes()));
            if (part.bytes().length == expected && actual.equals(part.sha256())) {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, part.bytes());
                force(tmp);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            }
            LOG.warn("part {} of clip {} arrived damaged ({} bytes of {}, SHA-256 {} where the recorder said {});"
                    + " asking again ({} of {})", n, itemKey, part.bytes().length, expected, actual, part.sha256(),
                    attempt, TRIES);
        }
        throw new DamagedException("part " + n + " of clip " + itemKey + " arrived damaged " + TRIES + " times");
    }

    /** Deletes what is kept of an item: after it is stored, or to start it again. */
    public void forget(String recorderId, String itemKey) throws IOException {
        Path dir = dirOf(recorderId, itemKey);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(file);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
    }

    /** Parts kept now of an item (for tests and status). */
    public int partsKept(String recorderId, String itemKey) throws IOException {
        Path dir = dirOf(recorderId, itemKey);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
        }
    }

    private Path dirOf(String recorderId, String itemKey) {
        if (!recorderId.matches("[A-Za-z0-9_-]{1,64}") || !itemKey.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a recorder id and item key: " + recorderId + ", " + itemKey);
        }
        return root.resolve(recorderId).resolve(itemKey);
    }

    private static Path partFile(Path dir, int n) {
        return dir.resolve(String.format("%06d.part", n));
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
