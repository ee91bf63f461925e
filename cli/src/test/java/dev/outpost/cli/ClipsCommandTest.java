package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClipsCommandTest {
    @RegisterExtension
    final LoggedInCloud loggedIn = new LoggedInCloud();

    @Test
    void clipsAreATableWithTheirLengthSizeAndPicture() {
        CommandRun run = CommandRun.in(loggedIn.config())
                .run(ClipsCommand.Listing::new, "--recorder", "r-1", "--camera", "gate");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("""
                ID  RECORDER  CAMERA  FROM                            LENGTH     SIZE     PICTURE
                c1  r-1       gate    2026-11-23 19:00 UTC (1 h ago)  2 min 5 s  31.3 MB  1920x1080
                """);
        assertThat(loggedIn.cloud().clipQueries).containsExactly("limit=100&recorder=r-1&camera=gate");
    }

    @Test
    void aBadRangeIsAUsageErrorNamingTheOption() {
        CommandRun run = CommandRun.in(loggedIn.config())
                .run(ClipsCommand.Export::new, "r-1", "gate", "--range", "yesterday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--range: 'yesterday' is not START/END or START/LENGTH");
    }
}
