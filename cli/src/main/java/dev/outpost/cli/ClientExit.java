package dev.outpost.cli;

import dev.outpost.client.CertificateNotTrustedException;
import dev.outpost.client.CloudUnreachableException;
import dev.outpost.client.OutpostException;
import dev.outpost.client.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The exit codes of the client commands and the one place that turns their failures into a message
 * on standard error: 0 done, 1 the server (or a recorder) said no or something else failed,
 * 2 usage (bad arguments, not logged in), 3 the cloud could not be reached (connection, TLS).
 */
final class ClientExit {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private final PrintWriter err;
    private Optional<URI> cloud = Optional.empty();
    private Optional<String> email = Optional.empty();
    private Optional<String> pinned = Optional.empty();

    ClientExit(PrintWriter err) {
        this.err = err;
    }

    /** Names the cloud and user, so that errors can show the exact command to log in again. */
    ClientExit about(URI cloud, Optional<String> email, Optional<String> pinnedFingerprint) {
        this.cloud = Optional.of(cloud);
        this.email = email;
        this.pinned = pinnedFingerprint;
        return this;
    }

    ClientExit about(Session session) {
        return about(session.cloud(), Optional.of(session.email()), session.pinnedFingerprint());
    }

    /** Runs the command's body and reports its failure, if any. */
    int run(Callable<Integer> body) {
        try {
            return body.call();
        } catch (ClientFailure e) {
            return fail(e.exitCode(), e.getMessage());
        } catch (CertificateNotTrustedException e) {
            fail(UNREACHABLE, e.getMessage());
            cloud.ifPresent(url -> {
                err.println(e.pinnedFingerprint().isPresent()
                        ? "If the cloud's operator confirms the new certificate, log in again trusting it:"
                        : "If that is your cloud's fingerprint, log in trusting it:");
                err.println("  " + loginCommand(url, email, Optional.of(e.fingerprint())));
                err.flush();
            });
            return UNREACHABLE;
        } catch (CloudUnreachableException e) {
            return fail(UNREACHABLE, e.getMessage());
        } catch (OutpostException e) {
            return refused("", e);
        } catch (UncheckedIOException e) {
            return fail(REFUSED, e.getMessage());
        } catch (IOException e) {
            return fail(REFUSED, String.valueOf(e.getMessage()));
        } catch (Exception e) {
            return fail(REFUSED, e.toString());
        }
    }

    /** The server said no; {@code prefix} says about what. A lost session gets the command to log in again. */
    int refused(String prefix, OutpostException e) {
        fail(REFUSED, prefix + e.getMessage());
        if (e.status() == 401 && !e.error().error().equals("bad-login") && !e.error().error().startsWith("grant-")) {
            cloud.ifPresent(url -> {
                err.println("Log in again: " + loginCommand(url, email, pinned));
                err.flush();
            });
        }
        return REFUSED;
    }

    int fail(int code, String message) {
        err.println("outpost: " + message);
        err.flush();
        return code;
    }

    static String loginCommand(URI cloud, Optional<String> email, Optional<String> fingerprint) {
        StringBuilder command = new StringBuilder("outpost login --cloud ").append(ClientText.cloud(cloud));
        email.ifPresent(e -> command.append(" --email ").append(e));
        fingerprint.ifPresent(f -> command.append(" --trust-fingerprint ").append(f));
        return command.toString();
    }
}
