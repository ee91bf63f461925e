package dev.outpost.cli;

import dev.outpost.client.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For each test, a {@link TestCloud} and a config directory holding a session with it, as after {@code outpost
 * login}; both gone after the test. Register with {@code @RegisterExtension final LoggedInCloud loggedIn = ...}.
 */
final class LoggedInCloud implements BeforeEachCallback, AfterEachCallback {
    private TestCloud cloud;
    private Path config;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        config = Files.createTempDirectory("outpost-cli-config-");
        cloud = new TestCloud();
        new SessionStore(config).save(cloud.session());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            cloud.close();
        } finally {
            try (Stream<Path> files = Files.walk(config)) {
                files.sorted(Comparator.reverseOrder()).forEach(LoggedInCloud::delete);
            }
        }
    }

    TestCloud cloud() {
        return cloud;
    }

    /** The config directory ({@code OUTPOST_CONFIG_DIR}) with the session in it. */
    Path config() {
        return config;
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
