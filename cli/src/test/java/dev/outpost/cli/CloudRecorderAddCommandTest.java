package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.SessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudRecorderAddCommandTest {
    @TempDir
    Path config;
    private TestCloud cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new TestCloud();
        new SessionStore(config).save(cloud.session());
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void codeComesWithItsExpiryAndTheCommandForTheRecorder() {
        CommandRun run = CommandRun.in(config).run(CloudRecorderAddCommand::new, "--name", "back-yard");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out())
                .startsWith("Activation code for recorder back-yard: 7KQ2M-XR4TD-9HWCA-PZ3NE\nIt works once, until ")
                .endsWith("On the recorder, run:\n  outpost recorder --cloud " + cloud.uri()
                        + " --activate 7KQ2M-XR4TD-9HWCA-PZ3NE\n");
    }

    @Test
    void jsonCarriesTheSameForScripts() {
        CommandRun run = CommandRun.in(config).run(CloudRecorderAddCommand::new, "--name", "back-yard", "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out())
                .contains("\"code\" : \"7KQ2M-XR4TD-9HWCA-PZ3NE\"")
                .contains("\"recorderName\" : \"back-yard\"")
                .contains("\"expiresAt\" : \"")
                .contains("\"command\" : \"outpost recorder --cloud " + cloud.uri() + " --activate 7KQ2M-XR4TD-9HWCA-PZ3NE\"");
    }

    @Test
    void withoutASessionItSaysToLogIn() {
        new SessionStore(config).delete();

        CommandRun run = CommandRun.in(config).run(CloudRecorderAddCommand::new, "--name", "back-yard");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not logged in");
    }
}
