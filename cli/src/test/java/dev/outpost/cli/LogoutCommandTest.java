package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.Session;
import dev.outpost.client.SessionStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogoutCommandTest {
    @TempDir
    Path config;

    @Test
    void logoutEndsTheSessionOnTheCloudAndForgetsIt() throws Exception {
        try (TestCloud cloud = new TestCloud()) {
            new SessionStore(config).save(cloud.session());

            CommandRun run = CommandRun.in(config).run(LogoutCommand::new);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
            assertThat(run.out()).isEqualTo("Logged out of " + cloud.uri() + " (ada@example.com).\n");
            assertThat(cloud.loggedOut).isTrue();
            assertThat(new SessionStore(config).load()).isEmpty();
        }
    }

    @Test
    void sessionTheCloudAlreadyEndedIsForgottenQuietly() throws Exception {
        try (TestCloud cloud = new TestCloud()) {
            cloud.loggedOut = true;
            new SessionStore(config).save(cloud.session());

            CommandRun run = CommandRun.in(config).run(LogoutCommand::new);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
            assertThat(new SessionStore(config).load()).isEmpty();
        }
    }

    @Test
    void notLoggedInIsNotAnError() {
        CommandRun run = CommandRun.in(config).run(LogoutCommand::new);

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("Not logged in.\n");
    }

    @Test
    void unreachableCloudStillForgetsTheSessionHereAndSaysItLivesOnThere() throws Exception {
        URI nobody = URI.create("https://127.0.0.1:" + TestCloud.closedPort() + "/");
        new SessionStore(config).save(new Session(nobody, "t", Optional.empty(), "a@b.c", Optional.empty()));

        CommandRun run = CommandRun.in(config).run(LogoutCommand::new);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("connection refused")
                .contains("The session was forgotten here, but the cloud still accepts it until it expires.");
        assertThat(new SessionStore(config).load()).isEmpty();
    }
}
