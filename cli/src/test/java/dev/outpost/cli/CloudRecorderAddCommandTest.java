package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CloudRecorderAddCommandTest {
    @RegisterExtension
    final LoggedInCloud loggedIn = new LoggedInCloud();

    @Test
    void codeComesWithItsExpiryAndTheCommandForTheRecorder() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(CloudRecorderAddCommand::new, "--name", "back-yard");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out())
                .startsWith("Activation code for recorder back-yard: 7KQ2M-XR4TD-9HWCA-PZ3NE\nIt works once, until ")
                .endsWith("On the recorder, run:\n  outpost recorder --cloud " + loggedIn.cloud().uri()
                        + " --activate 7KQ2M-XR4TD-9HWCA-PZ3NE\n");
    }

    @Test
    void jsonCarriesTheSameForScripts() {
        CommandRun run = CommandRun.in(loggedIn.config())
                .run(CloudRecorderAddCommand::new, "--name", "back-yard", "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out())
                .contains("\"code\" : \"7KQ2M-XR4TD-9HWCA-PZ3NE\"")
                .contains("\"recorderName\" : \"back-yard\"")
                .contains("\"expiresAt\" : \"")
                .contains("\"command\" : \"outpost recorder --cloud "
                        + loggedIn.cloud().uri() + " --activate 7KQ2M-XR4TD-9HWCA-PZ3NE\"");
    }

    @Test
    void withoutASessionItSaysToLogIn() {
        new SessionStore(loggedIn.config()).delete();

        CommandRun run = CommandRun.in(loggedIn.config()).run(CloudRecorderAddCommand::new, "--name", "back-yard");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not logged in");
    }
}
