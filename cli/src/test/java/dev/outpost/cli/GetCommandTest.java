package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GetCommandTest {
    @RegisterExtension
    final LoggedInCloud loggedIn = new LoggedInCloud();

    @Test
    void recorderNamedByNameAnswersOnStandardOutput() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(GetCommand::new, "front-door", "/api/info?full=1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.stdoutText()).contains("\"recorderId\":\"r-1\"").contains("\"query\":\"full=1\"");
        assertThat(run.err()).isEmpty();
        assertThat(loggedIn.cloud().authorizations).containsKey("/relay/r-1/api/info");
    }

    @Test
    void endlessStreamIsCutAtMaxBytesIntoTheFile() throws Exception {
        Path file = loggedIn.config().resolve("sample.bin");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            CommandRun run = CommandRun.in(loggedIn.config())
                    .run(GetCommand::new, "r-1", "api/stream", "--max-bytes", "100000", "-o", file.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
            assertThat(run.err()).isEqualTo("Saved 100000 bytes to " + file + ".\n");
        });
        byte[] saved = Files.readAllBytes(file);
        assertThat(saved).hasSize(100_000);
        assertThat(saved[4096 + 7]).isEqualTo((byte) 7);
    }

    @Test
    void readerThatLeavesEndsTheStreamQuietly() {
        OutputStream head = new OutputStream() { // like 'outpost get ... | head -c 10000'
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written >= 10_000) {
                    throw new IOException("Broken pipe");
                }
                written += len;
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            CommandRun run = CommandRun.in(loggedIn.config())
                    .stdout(head).run(GetCommand::new, "front-door", "api/stream");

            assertThat(run.exitCode()).isEqualTo(0);
            assertThat(run.err()).isEmpty();
        });
    }

    @Test
    void offlineRecorderIsReportedWithTheRelaysReason() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(GetCommand::new, "garage", "api/info");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(
                "outpost: garage: recorder garage is not connected (GET /relay/r-2/api/info: 502 recorder-offline)\n");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void recordersErrorsAreReportedToo() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(GetCommand::new, "front-door", "api/nothing-here");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("outpost: front-door: the recorder has no /api/nothing-here"
                + " (GET /relay/r-1/api/nothing-here: 404 not-found)\n");
    }

    @Test
    void endedSessionSaysHowToLogInAgain() {
        loggedIn.cloud().loggedOut = true;

        CommandRun run = CommandRun.in(loggedIn.config()).run(GetCommand::new, "r-1", "api/info");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).endsWith("\nLog in again: outpost login --cloud " + loggedIn.cloud().uri()
                + " --email ada@example.com --trust-fingerprint " + loggedIn.cloud().fingerprint() + "\n");
    }

    @Test
    void unknownRecorderSaysHowToListThem() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(GetCommand::new, "attic", "api/info");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("outpost: no recorder attic in your organization ('outpost recorders' lists them)\n");
    }

    @Test
    void badMaxBytesIsAUsageError() {
        CommandRun run = CommandRun.in(loggedIn.config()).run(GetCommand::new, "r-1", "api/stream", "--max-bytes", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--max-bytes must be positive");
    }
}
