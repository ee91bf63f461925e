package dev.outpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
    @TempDir
    Path home;

    private final Session session = new Session(URI.create("https://10.0.0.5:8443/"), "secret-token",
            Optional.of("ab".repeat(32)), "ada@example.com", Optional.of(Instant.parse("2026-12-01T00:00:00Z")));

    @Test
    void savedSessionComesBackAndOnlyItsOwnerCanReadIt() throws Exception {
        SessionStore store = new SessionStore(home.resolve("config/outpost"));

        store.save(session);

        assertThat(store.load()).contains(session);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())))
                .isEqualTo("rwx------");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(store.file());
        }
    }

    @Test
    void savingAgainReplacesTheSessionAndKeepsTheMode() throws Exception {
        SessionStore store = new SessionStore(home);
        store.save(session);
        Session platform = new Session(URI.create("https://cloud.example.com/"), "other", Optional.empty(),
                "bob@example.com", Optional.empty());

        store.save(platform);

        assertThat(store.load()).contains(platform);
        assertThat(store.load().orElseThrow().trust()).isEqualTo(CloudTrust.platform());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }

    @Test
    void noFileMeansNoSessionAndDeleteForgetsIt() {
        SessionStore store = new SessionStore(home);
        assertThat(store.load()).isEmpty();
        assertThat(store.delete()).isFalse();

        store.save(session);

        assertThat(store.delete()).isTrue();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void damagedFileIsNamedWithWhatToDo() throws Exception {
        SessionStore store = new SessionStore(home);
        Files.writeString(store.file(), "{\"cloud\": ");

        assertThatThrownBy(store::load)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(store.file().toString())
                .hasMessageContaining("log in again");
    }

    @Test
    void tokenIsNeverInTheSessionsText() {
        assertThat(session.toString()).doesNotContain("secret-token").contains("ada@example.com");
    }

    @Test
    void directoryComesFromTheEnvironment() {
        Path user = Path.of("/home/ada");
        assertThat(SessionStore.standardDirectory(Map.of(), user)).isEqualTo(Path.of("/home/ada/.config/outpost"));
        assertThat(SessionStore.standardDirectory(Map.of("XDG_CONFIG_HOME", "/x"), user)).isEqualTo(Path.of("/x/outpost"));
        assertThat(SessionStore.standardDirectory(Map.of("XDG_CONFIG_HOME", "/x", "OUTPOST_CONFIG_DIR", "/o"), user))
                .isEqualTo(Path.of("/o"));
    }
}
