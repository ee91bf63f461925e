package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.SessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipsCommandTest {
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
    void clipsAreATableWithTheirLengthSizeAndPicture() {
        CommandRun run = CommandRun.in(config).run(ClipsCommand.Listing::new, "--recorder", "r-1", "--camera", "gate");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("""
                ID  RECORDER  CAMERA  FROM                            LENGTH     SIZE     PICTURE
                c1  r-1       gate    2026-11-23 19:00 UTC (1 h ago)  2 min 5 s  31.3 MB  1920x1080
                """);
        assertThat(cloud.clipQueries).containsExactly("limit=100&recorder=r-1&camera=gate");
    }

    @Test
    void aBadRangeIsAUsageErrorNamingTheOption() {
        CommandRun run = CommandRun.in(config).run(ClipsCommand.Export::new, "r-1", "gate", "--range", "yesterday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--range: 'yesterday' is not START/END or START/LENGTH");
    }
}
