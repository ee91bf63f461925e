package dev.outpost.cli;

import dev.outpost.client.CloudUnreachableException;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.OutpostException;
import dev.outpost.client.Session;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code outpost logout}: ends the session on the cloud and forgets it here. The local session is
 * forgotten even when the cloud cannot be reached, because that is what a person logging out of a
 * laptop wants; the error then says the token stays valid on the cloud until it expires.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "End the session on the cloud and forget it on this computer.")
public final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final ClientEnvironment environment;

    public LogoutCommand() {
        this(ClientEnvironment.system());
    }

    LogoutCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ClientExit exit = new ClientExit(spec.commandLine().getErr());
        return exit.run(() -> {
            PrintWriter out = spec.commandLine().getOut();
            Optional<Session> saved = environment.sessions().load();
            if (saved.isEmpty()) {
                out.println("Not logged in.");
                out.flush();
                return ClientExit.OK;
            }
            Session session = saved.get();
            try (OutpostClient client = OutpostClient.resume(session)) {
                client.logout();
            } catch (OutpostException e) {
                if (e.status() != 401) {
                    throw e;
                }
                // 401: the cloud had already ended this session; forgetting it is all that is left
            } catch (CloudUnreachableException e) {
                environment.sessions().delete();
                String until = session.expiresAt()
                        .map(at -> ClientText.when(Optional.of(at), environment.clock().instant()))
                        .orElse("it expires");
                return exit.fail(ClientExit.UNREACHABLE, e.getMessage() + "\nThe session was forgotten here,"
                        + " but the cloud still accepts it until " + until + ".");
            }
            environment.sessions().delete();
            out.printf("Logged out of %s (%s).%n", ClientText.cloud(session.cloud()), session.email());
            out.flush();
            return ClientExit.OK;
        });
    }
}
