package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Picocli checks every command's options when the command line is built: a bad one fails every command. */
class CommandLineModelTest {
    @Test
    void everyCommandAndOptionIsValid() {
        var line = Main.commandLine();
        assertThat(line.getSubcommands()).containsKeys("cloud", "recorder", "connect", "get");
        assertThat(line.getSubcommands().get("cloud").getSubcommands().get("recorder").getSubcommands())
                .containsKeys("add", "network");
    }
}
