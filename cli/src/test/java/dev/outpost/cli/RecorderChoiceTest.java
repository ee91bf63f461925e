package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.wire.api.RecorderView;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderChoiceTest {

    @Test
    void recorderIsFoundByIdThenExactNameThenNameInAnyCaseWhichMustBeUnique() {
        RecorderView lower = new RecorderView("r-a", "door", "o1", true, null, "", "", false, "", false);
        RecorderView title = new RecorderView("r-b", "Door", "o1", true, null, "", "", false, "", false);

        assertThat(RecorderChoice.of(List.of(lower, title), "r-b")).isEqualTo(title);
        assertThat(RecorderChoice.of(List.of(lower, title), "door")).isEqualTo(lower);
        assertThat(RecorderChoice.of(List.of(title), "DOOR")).isEqualTo(title);
        assertThatThrownBy(() -> RecorderChoice.of(List.of(lower, title), "DOOR"))
                .hasMessage("several recorders are named DOOR; give the id instead: r-a, r-b");
        assertThatThrownBy(() -> RecorderChoice.of(List.of(lower), "attic"))
                .hasMessage("no recorder attic in your organization ('outpost recorders' lists them)");
    }
}
