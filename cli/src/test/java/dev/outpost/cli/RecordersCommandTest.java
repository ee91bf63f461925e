package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.SessionStore;
import dev.outpost.wire.api.RecorderView;
import dev.outpost.wire.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecordersCommandTest {
    @RegisterExtension
    final LoggedInCloud loggedIn = new LoggedInCloud();

    @Test
    void recordersAreATableOfStateAndConnection() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(RecordersCommand::new);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("""
                ID   NAME        STATE    SINCE                            ADDRESS             TRANSPORT  PROXY
                r-1  front-door  online   2026-11-23 18:00 UTC (2 h ago)   203.0.113.7:50123   h2         no
                r-2  garage      offline  2026-11-22 08:30 UTC (35 h ago)  198.51.100.2:40000  websocket  yes
                """);
    }

    @Test
    void jsonIsTheCloudsListForScripts() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(RecordersCommand::new, "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(Json.read(run.out().getBytes(StandardCharsets.UTF_8), RecorderView[].class))
                .containsExactly(TestCloud.FRONT_DOOR, TestCloud.GARAGE);
    }

    @Test
    void endedSessionSaysHowToLogInAgain() {
        loggedIn.cloud().loggedOut = true;

        CommandRun run = CommandRun.in(loggedIn.config()).run(RecordersCommand::new);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("outpost: log in first (GET /api/recorders: 401 unauthorized); the session has"
                + " expired or was ended: log in again\nLog in again: outpost login --cloud " + loggedIn.cloud().uri()
                + " --email ada@example.com --trust-fingerprint " + loggedIn.cloud().fingerprint() + "\n");
    }

    @Test
    void notLoggedInIsAUsageError() {
        new SessionStore(loggedIn.config()).delete();

        CommandRun run = CommandRun.in(loggedIn.config()).run(RecordersCommand::new);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("outpost: not logged in: run 'outpost login --cloud URL' first\n");
    }

    @Test
    void tableShowsMissingValuesAsDashes() {
        RecorderView fresh = new RecorderView("r-9", "new", "o1", false, null, null, "", false, null, false);

        assertThat(RecordersCommand.table(List.of(fresh), CommandRun.NOW))
                .endsWith("r-9  new   offline  never  -        -          no\n");
    }
}
