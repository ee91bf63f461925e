package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.Session;
import dev.outpost.client.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandTest {
    @TempDir
    Path config;
    private TestCloud cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new TestCloud();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void untrustedCloudFailsWithItsFingerprintAndTheCommandThatPinsItWhichThenWorks() {
        CommandRun first = CommandRun.in(config).stdin(TestCloud.PASSWORD + "\n")
                .run(LoginCommand::new, "--cloud", cloud.uri().toString(), "--email", TestCloud.EMAIL, "--password-stdin");

        assertThat(first.exitCode()).isEqualTo(3);
        String rerun = "outpost login --cloud " + cloud.uri() + " --email " + TestCloud.EMAIL
                + " --trust-fingerprint " + cloud.fingerprint();
        assertThat(first.err())
                .contains("not trusted")
                .contains("Its SHA-256 fingerprint is " + cloud.fingerprint())
                .contains("If that is your cloud's fingerprint, log in trusting it:\n  " + rerun + "\n");
        assertThat(cloud.authorizations).isEmpty();
        assertThat(new SessionStore(config).load()).isEmpty();

        String[] args = rerun.substring("outpost login ".length()).split(" ");
        CommandRun second = CommandRun.in(config).env(Map.of("OUTPOST_PASSWORD", TestCloud.PASSWORD))
                .run(LoginCommand::new, args);

        assertThat(second.exitCode()).as(second.err()).isEqualTo(0);
        assertThat(second.out()).startsWith("Logged in to " + cloud.uri() + " as ada@example.com (admin of Acme).\n");
    }

    @Test
    void loginSavesTheSessionForTheOwnerOnly() throws Exception {
        CommandRun run = CommandRun.in(config).stdin(TestCloud.PASSWORD + "\r\nignored")
                .run(LoginCommand::new, "--cloud", cloud.uri().toString(), "--email", TestCloud.EMAIL,
                        "--password-stdin", "--trust-fingerprint", colons(cloud.fingerprint().toUpperCase()));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("Session saved in " + config.resolve("session.json")
                + "; it ends 2026-12-01 00:00 UTC (in 7 d).");
        Session saved = new SessionStore(config).load().orElseThrow();
        assertThat(saved.token()).isEqualTo(TestCloud.TOKEN);
        assertThat(saved.email()).isEqualTo(TestCloud.EMAIL);
        assertThat(saved.pinnedFingerprint()).contains(cloud.fingerprint());
        assertThat(saved.cloud().toString()).isEqualTo(cloud.uri() + "/");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("session.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void jsonSaysWhoLoggedInWithoutTheToken() {
        CommandRun run = CommandRun.in(config).env(Map.of("OUTPOST_PASSWORD", TestCloud.PASSWORD))
                .run(LoginCommand::new, "--cloud", cloud.uri().toString(), "--email", TestCloud.EMAIL,
                        "--trust-fingerprint", cloud.fingerprint(), "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("\"email\" : \"ada@example.com\"").contains(cloud.fingerprint())
                .doesNotContain(TestCloud.TOKEN);
    }

    @Test
    void wrongPasswordIsTheCloudsRefusalAndSavesNothing() {
        CommandRun run = CommandRun.in(config).env(Map.of("OUTPOST_PASSWORD", "nope"))
                .run(LoginCommand::new, "--cloud", cloud.uri().toString(), "--email", TestCloud.EMAIL,
                        "--trust-fingerprint", cloud.fingerprint());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("outpost: wrong email or password (POST /api/login: 401 bad-login)\n");
        assertThat(new SessionStore(config).load()).isEmpty();
    }

    @Test
    void withoutATerminalThePasswordMustComeFromStdinOrTheEnvironment() {
        CommandRun run = CommandRun.in(config)
                .run(LoginCommand::new, "--cloud", cloud.uri().toString(), "--email", TestCloud.EMAIL);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--password-stdin or $OUTPOST_PASSWORD");
    }

    @Test
    void usageMistakesExitWithTwo() {
        assertThat(CommandRun.in(config).run(LoginCommand::new, "--email", "a@b.c").exitCode()).isEqualTo(2);
        CommandRun badPin = CommandRun.in(config).env(Map.of("OUTPOST_PASSWORD", "x"))
                .run(LoginCommand::new, "--cloud", "cloud.example.com", "--email", "a@b.c", "--trust-fingerprint", "12ab");
        assertThat(badPin.exitCode()).isEqualTo(2);
        assertThat(badPin.err()).contains("--trust-fingerprint: not a SHA-256 fingerprint");
        CommandRun http = CommandRun.in(config).env(Map.of("OUTPOST_PASSWORD", "x"))
                .run(LoginCommand::new, "--cloud", "http://cloud.example.com", "--email", "a@b.c");
        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.err()).contains("over https");
    }

    @Test
    void cloudThatIsNotRunningIsAConnectionProblem() throws Exception {
        String nobody = "https://127.0.0.1:" + TestCloud.closedPort();
        CommandRun run = CommandRun.in(config).env(Map.of("OUTPOST_PASSWORD", "x"))
                .run(LoginCommand::new, "--cloud", nobody, "--email", "a@b.c");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("outpost: cannot reach " + nobody + "/api/login: connection refused");
    }

    private static String colons(String hex) {
        return String.join(":", Arrays.stream(hex.split("(?<=\\G..)")).toList());
    }
}
