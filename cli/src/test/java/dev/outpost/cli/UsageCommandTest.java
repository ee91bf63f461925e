package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code outpost usage RECORDER}: the recorder's byte counts as the reference page's table, through the relay. */
class UsageCommandTest {
    @RegisterExtension
    final LoggedInCloud loggedIn = new LoggedInCloud();

    @Test
    void theLast30DaysAndTheAveragePerDayPerCategory() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(UsageCommand::new, "front-door");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(loggedIn.cloud().authorizations).containsKey("/relay/r-1/api/usage");
        assertThat(run.out()).startsWith("Data sent to the cloud by front-door (r-1), as the recorder counts it:")
                .containsPattern("baseline +2\\.000 +1\\.000 +0\\.900")
                .containsPattern("config-backups +0\\.000 +0\\.000 +0\\.000")
                .containsPattern("alerts +0\\.003 +0\\.002 +0\\.000")
                .containsPattern("alert-images +0\\.300 +0\\.150 +0\\.000")
                .containsPattern("day-night-images +0\\.600 +0\\.300 +0\\.600")
                .containsPattern("exports +0\\.000")
                .containsPattern("total +2\\.903 +1\\.452 +1\\.500")
                .contains("(per day: over the 2 days with counts in the last 30)");
    }

    @Test
    void anOfflineRecorderIsNamed() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(UsageCommand::new, "r-2");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("garage");
    }
}
