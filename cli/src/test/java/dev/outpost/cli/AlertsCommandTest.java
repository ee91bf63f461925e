package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AlertsCommandTest {
    @RegisterExtension
    final LoggedInCloud loggedIn = new LoggedInCloud();

    @Test
    void alertsAreATableNewestFirstWithTheirCameraAndImage() {
        CommandRun run = CommandRun.in(loggedIn.config())
                .run(AlertsCommand::new, "--recorder", "r-1", "--since", "24h");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("""
                WHEN                               RECORDER    CAMERA  ALERT           MESSAGE
                2026-11-23 19:30 UTC (30 min ago)  front-door  gate    camera-offline  Camera gate is offline [image]
                2026-11-23 18:00 UTC (2 h ago)     garage      -       link-restored   The link to the cloud is back after an outage of 3 min
                """);
        assertThat(loggedIn.cloud().alertQueries)
                .containsExactly("limit=100&recorder=r-1&since=" + CommandRun.NOW.minusSeconds(86_400));
    }

    @Test
    void aBadSinceIsAUsageErrorNamingTheOption() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(AlertsCommand::new, "--since", "yesterday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--since: 'yesterday' is neither an ISO-8601 instant");
        assertThat(loggedIn.cloud().alertQueries).isEmpty();
    }
}
