package dev.outpost.cloud.clips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.outbox.ClipFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clip taken in parts: resumed from the first part missing after a link drop or a restart, a damaged part asked for
 * again, a damaged whole fetched again, nothing kept once the recorder gave the item up.
 */
class ClipPartsTest {
    private static final String RECORDER = "rec-1";
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    /** 2.5 parts of clip, as the recorder would serve them. */
    private final byte[] clip = randomBytes(ClipFacts.PART_BYTES * 5 / 2);
    private final ClipFacts facts = new ClipFacts("e1", "cam", Instant.EPOCH, Instant.EPOCH.plusSeconds(10), 10_000,
            1920, 1080, clip.length, sha256(clip));
    private final List<Integer> asked = new ArrayList<>();

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Part {@code n} of {@code whole}, with its SHA-256, as {@code GET .../parts/{n}} answers. */
    private ClipParts.Part serve(byte[] whole, int n) {
        asked.add(n);
        int from = n * ClipFacts.PART_BYTES;
        byte[] part = Arrays.copyOfRange(whole, from, Math.min(whole.length, from + ClipFacts.PART_BYTES));
        return new ClipParts.Part(200, part, sha256(part));
    }

    @Test
    void aLinkDropAndARestartCostOnlyThePartUnderWay() throws Exception {
        ClipParts parts = new ClipParts(root);
        assertThatThrownBy(() -> parts.fetch(RECORDER, KEY, facts, n -> {
            if (n == 1) {
                throw new IOException("the link dropped");
            }
            return serve(clip, n);
        })).isInstanceOf(IOException.class).hasMessage("the link dropped");
        assertThat(parts.partsKept(RECORDER, KEY)).isEqualTo(1);

        // The cloud restarts: a new instance finds what the last one kept.
        asked.clear();
        Optional<Path> whole = new ClipParts(root).fetch(RECORDER, KEY, facts, n -> serve(clip, n));
        assertThat(asked).as("only the parts not yet kept").containsExactly(1, 2);
        assertThat(Files.readAllBytes(whole.orElseThrow())).isEqualTo(clip);

        asked.clear();
        assertThat(new ClipParts(root).fetch(RECORDER, KEY, facts, n -> serve(clip, n))).contains(whole.get());
        assertThat(asked).as("joined and checked before: nothing asked again").isEmpty();

        parts.forget(RECORDER, KEY);
        assertThat(Files.exists(root.resolve(RECORDER).resolve(KEY))).isFalse();
    }

    @Test
    void aDamagedPartIsAskedForAgain() throws Exception {
        boolean[] damagedOnce = {false};
        Optional<Path> whole = new ClipParts(root).fetch(RECORDER, KEY, facts, n -> {
            ClipParts.Part part = serve(clip, n);
            if (n == 1 && !damagedOnce[0]) {
                damagedOnce[0] = true; // one bit flipped on the way: the recorder's SHA-256 no longer matches
                byte[] damaged = part.bytes().clone();
                damaged[10] ^= 1;
                return new ClipParts.Part(200, damaged, part.sha256());
            }
            return part;
        });
        assertThat(asked).containsExactly(0, 1, 1, 2);
        assertThat(Files.readAllBytes(whole.orElseThrow())).isEqualTo(clip);
    }

    @Test
    void aPartDamagedEveryTimeEndsTheAttemptAndAWholeThatDoesNotMatchIsFetchedAgain() throws Exception {
        ClipParts parts = new ClipParts(root);
        assertThatThrownBy(() -> parts.fetch(RECORDER, KEY, facts,
                n -> new ClipParts.Part(200, serve(clip, n).bytes(), "00".repeat(32))))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged " + ClipParts.TRIES + " times");

        // Parts that each match their own SHA-256 but not the clip's (the recorder's file changed): all thrown away.
        byte[] other = randomBytes(clip.length);
        other[0] ^= 1;
        assertThatThrownBy(() -> parts.fetch(RECORDER, KEY, facts, n -> serve(other, n)))
                .isInstanceOf(IOException.class).hasMessageContaining("every part is fetched again");
        assertThat(parts.partsKept(RECORDER, KEY)).isZero();
        asked.clear();
        assertThat(Files.readAllBytes(parts.fetch(RECORDER, KEY, facts, n -> serve(clip, n)).orElseThrow()))
                .isEqualTo(clip);
        assertThat(asked).containsExactly(0, 1, 2);
    }

    @Test
    void anItemTheRecorderGaveUpIsNotStored() throws Exception {
        assertThat(new ClipParts(root).fetch(RECORDER, KEY, facts, n -> new ClipParts.Part(404, new byte[0], "")))
                .isEmpty();
    }

    @Test
    void partsOfAnItemUntouchedForAWeekAreDeletedAtStart() throws Exception {
        ClipParts parts = new ClipParts(root);
        assertThatThrownBy(() -> parts.fetch(RECORDER, KEY, facts, n -> {
            if (n == 1) {
                throw new IOException("the link dropped");
            }
            return serve(clip, n);
        })).isInstanceOf(IOException.class);
        String recent = "fedcba9876543210fedcba9876543210";
        Files.createDirectories(root.resolve(RECORDER).resolve(recent));
        Files.setLastModifiedTime(root.resolve(RECORDER).resolve(KEY), java.nio.file.attribute.FileTime.from(
                Instant.now().minus(java.time.Duration.ofDays(8))));

        new ClipParts(root);
        assertThat(Files.exists(root.resolve(RECORDER).resolve(KEY))).isFalse();
        assertThat(Files.exists(root.resolve(RECORDER).resolve(recent))).as("a week not yet").isTrue();
    }
}
