package dev.outpost.cli;

import dev.outpost.client.CloudTrust;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Session;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outpost login}: logs in to a cloud and saves the session for the other commands.
 *
 * <p>A self-signed cloud is trusted only by its certificate's fingerprint. Without
 * {@code --trust-fingerprint} the first contact uses the platform's certificate authorities; if they
 * do not vouch for the cloud, the handshake fails before the password is sent, the client looks at
 * the certificate once more (ObservingTrustManager, nothing sent) and the error shows its fingerprint
 * and the exact command to pin it.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to a cloud; the session is kept for the other commands.",
        footer = {"", "The password is read from --password-stdin, else $OUTPOST_PASSWORD, else the terminal.",
                "Exit codes: 0 logged in, 1 refused by the cloud, 2 usage, 3 cloud unreachable or not trusted."})
public final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cloud", required = true, paramLabel = "URL",
            description = "The cloud, e.g. https://cloud.example.com:8443 (https is assumed).")
    String cloud;

    @Option(names = "--email", paramLabel = "EMAIL", description = "Your login; asked for if not given.")
    Optional<String> email = Optional.empty();

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--trust-fingerprint", paramLabel = "SHA256",
            description = "Trust the cloud's certificate with this SHA-256 fingerprint (for a self-signed cloud).")
    Optional<String> fingerprint = Optional.empty();

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    private final ClientEnvironment environment;

    public LoginCommand() {
        this(ClientEnvironment.system());
    }

    LoginCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            URI url = ClientText.cloudUrl(cloud);
            CloudTrust trust = trust();
            String who = email.map(String::strip).filter(e -> !e.isEmpty()).orElseGet(this::askEmail);
            exit.about(url, Optional.of(who), trust.pinnedFingerprint());
            String password = password(who);
            try (OutpostClient client = OutpostClient.builder(url).trust(trust).build()) {
                LoginResponse answer = client.login(who, password);
                Session session = new Session(client.cloud(), answer.token(), trust.pinnedFingerprint(),
                        answer.user().email(), Optional.ofNullable(answer.expiresAt()));
                environment.sessions().save(session);
                print(session, answer);
            }
            return ClientExit.OK;
        });
    }

    private CloudTrust trust() {
        try {
            return CloudTrust.of(fingerprint);
        } catch (IllegalArgumentException e) {
            throw ClientFailure.usage("--trust-fingerprint: " + e.getMessage());
        }
    }

    private String askEmail() {
        String typed = environment.terminal()
                .map(console -> console.readLine("Email: "))
                .orElseThrow(() -> ClientFailure.usage("--email is required when not run in a terminal"));
        if (typed == null || typed.isBlank()) {
            throw ClientFailure.usage("no email given");
        }
        return typed.strip();
    }

    private String password(String who) throws IOException {
        String password;
        if (passwordStdin) {
            password = firstLineOfStdin();
        } else if (environment.env().containsKey("OUTPOST_PASSWORD")) {
            password = environment.env().get("OUTPOST_PASSWORD");
        } else {
            char[] typed = environment.terminal()
                    .map(console -> console.readPassword("Password for %s: ", who))
                    .orElseThrow(() -> ClientFailure.usage(
                            "no password: use --password-stdin or $OUTPOST_PASSWORD when not run in a terminal"));
            password = typed == null ? "" : new String(typed);
        }
        if (password.isEmpty()) {
            throw ClientFailure.usage("the password is empty");
        }
        return password;
    }

    /** One line, without its line break; reads no further, so nothing else on stdin is consumed. */
    private String firstLineOfStdin() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = environment.stdin().read()) != -1 && b != '\n') {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private void print(Session session, LoginResponse answer) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("cloud", ClientText.cloud(session.cloud()));
            result.put("user", answer.user());
            result.put("expiresAt", answer.expiresAt());
            result.put("pinnedFingerprint", session.pinnedFingerprint().orElse(null));
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            var user = answer.user();
            out.printf("Logged in to %s as %s (%s of %s).%n", ClientText.cloud(session.cloud()), user.email(),
                    user.role(), user.organizationName());
            out.printf("Session saved in %s%s.%n", environment.sessions().file(),
                    session.expiresAt().map(at -> "; it ends " + ClientText.when(Optional.of(at),
                            environment.clock().instant())).orElse(""));
        }
        out.flush();
    }
}
