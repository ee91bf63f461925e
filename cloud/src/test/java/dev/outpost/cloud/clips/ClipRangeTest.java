package dev.outpost.cloud.clips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.cloud.ApiFailure;
import org.junit.jupiter.api.Test;

/** Range headers as browsers' video elements send them, and the ones to answer whole or refuse. */
class ClipRangeTest {
    @Test
    void rangesResolveAgainstTheClipsLength() {
        assertThat(ClipRange.parse("bytes=0-", 1000)).contains(new ClipRange(0, 999));
        assertThat(ClipRange.parse("bytes=100-199", 1000)).contains(new ClipRange(100, 199));
        assertThat(ClipRange.parse("bytes=900-5000", 1000)).contains(new ClipRange(900, 999));
        assertThat(ClipRange.parse("bytes=-100", 1000)).contains(new ClipRange(900, 999));
        assertThat(ClipRange.parse("bytes=0-9, 20-29", 1000)).contains(new ClipRange(0, 9));
        assertThat(ClipRange.parse(null, 1000)).isEmpty();
        assertThat(ClipRange.parse("items=0-9", 1000)).isEmpty();
        assertThat(ClipRange.parse("bytes=x-9", 1000)).isEmpty();
        assertThat(ClipRange.parse("bytes=" + "1".repeat(300) + "-", 1000)).isEmpty();
        assertThatThrownBy(() -> ClipRange.parse("bytes=1000-", 1000)).isInstanceOf(ApiFailure.class)
                .hasMessageContaining("outside the clip's 1000 bytes");
        assertThatThrownBy(() -> ClipRange.parse("bytes=-0", 1000)).isInstanceOf(ApiFailure.class);
    }
}
