package dev.outpost.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Sample camera settings: how many cameras, and how many distinct clips they share. */
class RecorderConfigTest {
    private final Path cache = Path.of("/tmp/outpost-samples");

    @Test
    void sampleCamerasHaveTheirOwnClipsUpTo16ThenShareThem() {
        assertThat(new RecorderConfig.Samples(4, cache).clips()).isEqualTo(4);
        assertThat(new RecorderConfig.Samples(64, cache).clips()).isEqualTo(16);
        assertThat(RecorderConfig.Samples.NONE.clips()).isZero();
        RecorderConfig config = RecorderConfig.defaults(Path.of("data")).withSampleCameras(64, 4, cache);
        assertThat(config.samples()).isEqualTo(new RecorderConfig.Samples(64, 4, cache));
    }

    @Test
    void sampleClipsAreOneToTheCamerasAndAtMost16() {
        assertThatThrownBy(() -> new RecorderConfig.Samples(4, 5, cache)).hasMessageContaining("1 to 4");
        assertThatThrownBy(() -> new RecorderConfig.Samples(64, 17, cache)).hasMessageContaining("1 to 16");
        assertThatThrownBy(() -> new RecorderConfig.Samples(64, 0, cache)).hasMessageContaining("not 0");
        assertThatThrownBy(() -> new RecorderConfig.Samples(257, 4, cache)).hasMessageContaining("0 to 256");
    }
}
