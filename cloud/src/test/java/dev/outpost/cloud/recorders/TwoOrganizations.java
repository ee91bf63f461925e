package dev.outpost.cloud.recorders;

import dev.outpost.cloud.accounts.Accounts;
import dev.outpost.cloud.accounts.AuthenticatedUser;
import dev.outpost.cloud.accounts.TestAccounts;
import dev.outpost.cloud.store.Database;
import dev.outpost.wire.activation.ActivationCode;
import dev.outpost.wire.activation.ActivationProof;
import dev.outpost.wire.api.ActivationRequest;
import dev.outpost.wire.api.NewActivationCode;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import java.time.Clock;
import java.util.Optional;

/**
 * The cast of the organization-scoping tests: the first organization's admin and a viewer of it, and the admin of a
 * second organization ("Elsewhere", the stranger), each signed in; recorders are activated for either on demand.
 */
public record TwoOrganizations(AuthenticatedUser admin, AuthenticatedUser viewer, AuthenticatedUser stranger,
                               RecorderDirectory directory) {
    public static TwoOrganizations create(Database database, Clock clock) {
        Accounts accounts = TestAccounts.create(database, clock);
        accounts.ensureFirstAdmin("admin@example.com", Optional.of("admin password"));
        AuthenticatedUser admin = signIn(accounts, "admin@example.com", "admin password");
        accounts.createUser(admin, new NewUser("viewer@example.com", "viewer password", "viewer"));
        accounts.createOrganization(admin, new NewOrganization("Elsewhere", "boss@elsewhere.example", "boss password"));
        return new TwoOrganizations(admin, signIn(accounts, "viewer@example.com", "viewer password"),
                signIn(accounts, "boss@elsewhere.example", "boss password"), new RecorderDirectory(database, clock));
    }

    /** A recorder named {@code name} in {@code owner}'s organization, activated as a recorder would; its id. */
    public String activatedRecorder(AuthenticatedUser owner, String name) {
        ActivationCode code = ActivationCode.parse(directory.createActivationCode(owner, new NewActivationCode(name))
                .code());
        String binding = "ab".repeat(32);
        return directory.activate(new ActivationRequest(code.id(), binding,
                ActivationProof.recorderProof(code.proofKey(), binding), "test"), binding).recorderId();
    }

    private static AuthenticatedUser signIn(Accounts accounts, String email, String password) {
        return accounts.authenticate(accounts.login(email, password, "192.0.2.1").token()).orElseThrow();
    }
}
