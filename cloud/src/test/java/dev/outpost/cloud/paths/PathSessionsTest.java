package dev.outpost.cloud.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.wire.api.PathSessionsView;
import org.junit.jupiter.api.Test;

class PathSessionsTest {
    @Test
    void countsEachRecordersSessionsPerPathAndAllTogether() {
        PathSessions sessions = new PathSessions();
        sessions.used("r1", "relay");
        sessions.used("r1", "p2p");
        sessions.used("r2", "relay");
        assertThat(sessions.of("r1")).isEqualTo(new PathSessionsView(0, 0, 1, 1));
        assertThat(sessions.of("r2")).isEqualTo(new PathSessionsView(0, 0, 1, 0));
        assertThat(sessions.of("r3")).isEqualTo(new PathSessionsView(0, 0, 0, 0));
        assertThat(sessions.total()).isEqualTo(new PathSessionsView(0, 0, 2, 1));
    }

    @Test
    void anUnknownPathIsRefusedByName() {
        assertThatThrownBy(() -> new PathSessions().used("r1", "carrier-pigeon")).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("kind: 'carrier-pigeon'");
    }
}
