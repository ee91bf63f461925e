package dev.outpost.cloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.Secrets;
import dev.outpost.cloud.store.SharedDatabase;
import dev.outpost.cloud.store.TestBackend;
import dev.outpost.cloud.store.TestClock;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.OrganizationView;
import dev.outpost.wire.api.UserView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestBackend.class)
class AccountsTest {
    private static final String ADMIN = "admin@example.com";
    private static final String ADMIN_PASSWORD = "first admin password";
    private static final String HOME = "192.0.2.1";

    static SharedDatabase shared;

    @Parameter
    TestBackend backend;

    final TestClock clock = new TestClock();
    Database database;
    Accounts accounts;

    @BeforeParameterizedClassInvocation
    static void startDatabase(TestBackend backend) {
        shared = backend.start();
    }

    @AfterParameterizedClassInvocation
    static void stopDatabase() {
        shared.close();
    }

    @BeforeEach
    void emptyDatabase() {
        database = shared.emptied();
        accounts = TestAccounts.create(database, clock);
    }

    @Test
    void firstStartCreatesTheDefaultOrganizationAndAnAdminWithAGeneratedPassword() {
        Optional<String> generated = accounts.ensureFirstAdmin("Admin@Example.com", Optional.empty());

        assertThat(generated).hasValueSatisfying(password -> assertThat(password).matches("[A-Za-z2-9]{20}"));
        assertThat(accounts.ensureFirstAdmin(ADMIN, Optional.empty())).as("users exist now").isEmpty();
        assertThat(accounts.ensureFirstAdmin("other@example.com", Optional.empty())).isEmpty();
        UserView me = accounts.me(signIn(ADMIN, generated.orElseThrow()));
        assertThat(me.email()).isEqualTo(ADMIN);
        assertThat(me.role()).isEqualTo("admin");
        assertThat(me.organizationName()).isEqualTo("Default");
        assertThat(count("users")).isOne();
    }

    @Test
    void firstAdminMayBeGivenItsPasswordWhichIsThenNotReturned() {
        assertThatThrownBy(() -> accounts.ensureFirstAdmin(ADMIN, Optional.of("short")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 10 characters");

        assertThat(accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD))).isEmpty();
        assertThat(accounts.me(signIn(ADMIN, ADMIN_PASSWORD)).role()).isEqualTo("admin");
    }

    @Test
    void firstStartsRacingEachOtherCreateOneAdmin() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<String>>> results = List.of("a@example.com", "b@example.com", "c@example.com")
                    .stream()
                    .map(email -> threads.submit(() -> {
                        start.await();
                        return accounts.ensureFirstAdmin(email, Optional.empty());
                    }))
                    .toList();
            start.countDown();
            int generated = 0;
            for (Future<Optional<String>> result : results) {
                generated += result.get().isPresent() ? 1 : 0;
            }
            assertThat(generated).isOne();
        }
        assertThat(count("users")).isOne();
        assertThat(count("organizations")).isOne();
    }

    @Test
    void loginOpensASevenDaySessionKeptOnlyAsAHash() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));

        LoginResponse login = accounts.login("  ADMIN@example.com ", ADMIN_PASSWORD, HOME);

        assertThat(login.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(login.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThat(login.user().email()).isEqualTo(ADMIN);
        AuthenticatedUser user = accounts.authenticate(login.token()).orElseThrow();
        assertThat(user.email()).isEqualTo(ADMIN);
        assertThat(user.role()).isEqualTo(Role.ADMIN);
        assertThat(user.userId()).isEqualTo(login.user().id());
        assertThat(user.organizationName()).isEqualTo("Default");
        List<String> stored = database.jdbi().withHandle(handle ->
                handle.createQuery("select token_hash from sessions").mapTo(String.class).list());
        assertThat(stored).containsExactly(Secrets.hash(login.token()));
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));

        ApiFailure wrongPassword = failure(() -> accounts.login(ADMIN, "not the password", HOME));
        ApiFailure unknownEmail = failure(() -> accounts.login("nobody@example.com", ADMIN_PASSWORD, HOME));
        ApiFailure nothing = failure(() -> accounts.login(null, null, HOME));

        for (ApiFailure answer : List.of(wrongPassword, unknownEmail, nothing)) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.error()).isEqualTo("bad-login");
            assertThat(answer.getMessage()).isEqualTo("wrong email or password");
        }
        assertThat(count("sessions")).isZero();
    }

    @Test
    void repeatedFailuresSlowLoginsDownUntilOneSucceeds() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        failLogins(ADMIN, HOME, 5);

        ApiFailure first = failure(() -> accounts.login(ADMIN, ADMIN_PASSWORD, HOME));
        assertThat(first.status()).isEqualTo(429);
        assertThat(first.error()).isEqualTo("slow-down");
        assertThat(first.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(first.getMessage()).contains("wait 1 s");

        clock.advance(Duration.ofSeconds(1));
        failLogins(ADMIN, HOME, 1);
        assertThat(failure(() -> accounts.login(ADMIN, ADMIN_PASSWORD, HOME)).retryAfter())
                .contains(Duration.ofSeconds(2));

        clock.advance(Duration.ofSeconds(2));
        assertThat(accounts.login(ADMIN, ADMIN_PASSWORD, HOME).token()).isNotEmpty();
        failLogins(ADMIN, HOME, 5);
    }

    @Test
    void failuresFromOneAddressSlowDownEveryEmailFromIt() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        for (int i = 0; i < 5; i++) {
            failLogins("guess" + i + "@example.com", "203.0.113.9", 1);
        }

        assertThat(failure(() -> accounts.login(ADMIN, ADMIN_PASSWORD, "203.0.113.9")).status()).isEqualTo(429);
        assertThat(accounts.login(ADMIN, ADMIN_PASSWORD, HOME).token()).isNotEmpty();
    }

    @Test
    void throttlingEndsFifteenMinutesAfterTheLastFailure() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        failLogins(ADMIN, HOME, 5);
        assertThat(failure(() -> accounts.login(ADMIN, "not the password", HOME)).status()).isEqualTo(429);

        clock.advance(Duration.ofMinutes(15));

        failLogins(ADMIN, HOME, 5);
    }

    @Test
    void sessionsExpireAfterSevenDays() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        String token = accounts.login(ADMIN, ADMIN_PASSWORD, HOME).token();

        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(accounts.authenticate(token)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(accounts.authenticate(token)).isEmpty();
        assertThat(count("sessions")).as("expired session deleted").isZero();
    }

    @Test
    void lastUseIsWrittenAtMostOnceAMinute() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        Instant loggedIn = clock.instant();
        String token = accounts.login(ADMIN, ADMIN_PASSWORD, HOME).token();

        clock.advance(Duration.ofSeconds(59));
        accounts.authenticate(token).orElseThrow();
        assertThat(lastUsed()).isEqualTo(loggedIn);

        clock.advance(Duration.ofSeconds(1));
        accounts.authenticate(token).orElseThrow();
        assertThat(lastUsed()).isEqualTo(loggedIn.plusSeconds(60));
    }

    @Test
    void logoutEndsOnlyThatSession() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        String laptop = accounts.login(ADMIN, ADMIN_PASSWORD, HOME).token();
        String phone = accounts.login(ADMIN, ADMIN_PASSWORD, HOME).token();

        accounts.logout(laptop);
        accounts.logout(laptop);
        accounts.logout("never issued");
        accounts.logout(null);

        assertThat(accounts.authenticate(laptop)).isEmpty();
        assertThat(accounts.authenticate(phone)).isPresent();
    }

    @Test
    void unknownOrMalformedTokensAuthenticateNobody() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        accounts.login(ADMIN, ADMIN_PASSWORD, HOME);

        for (String token : new String[] {null, "", "garbage", "x".repeat(10_000)}) {
            assertThat(accounts.authenticate(token)).isEmpty();
        }
    }

    @Test
    void adminsAddUsersToTheirOwnOrganization() {
        AuthenticatedUser admin = firstAdmin();

        UserView viewer = accounts.createUser(admin, new NewUser("Viewer@Example.com", "viewer password", "viewer"));
        UserView installer = accounts.createUser(admin, new NewUser("installer@example.com", "installer pw 1", "INSTALLER"));

        assertThat(viewer.email()).isEqualTo("viewer@example.com");
        assertThat(viewer.role()).isEqualTo("viewer");
        assertThat(viewer.organizationId()).isEqualTo(admin.organizationId());
        assertThat(installer.role()).isEqualTo("installer");
        assertThat(accounts.users(admin)).extracting(UserView::email)
                .containsExactly(ADMIN, "installer@example.com", "viewer@example.com");
        AuthenticatedUser signedIn = signIn("viewer@example.com", "viewer password");
        assertThat(signedIn.role()).isEqualTo(Role.VIEWER);
        assertThat(signedIn.organizationId()).isEqualTo(admin.organizationId());
    }

    @Test
    void onlyAdminsSeeOrAddUsers() {
        AuthenticatedUser admin = firstAdmin();
        accounts.createUser(admin, new NewUser("installer@example.com", "installer pw 1", "installer"));
        AuthenticatedUser installer = signIn("installer@example.com", "installer pw 1");

        assertThat(failure(() -> accounts.users(installer)).status()).isEqualTo(403);
        assertThat(failure(() -> accounts.createUser(installer,
                new NewUser("x@example.com", "some password", "viewer"))).status()).isEqualTo(403);
        assertThat(failure(() -> accounts.createOrganization(installer,
                new NewOrganization("Acme", "x@example.com", "some password"))).status()).isEqualTo(403);
    }

    @Test
    void badNewUsersAreRefusedWithTheReason() {
        AuthenticatedUser admin = firstAdmin();

        ApiFailure taken = failure(() -> accounts.createUser(admin, new NewUser("ADMIN@example.com", "password 12", "viewer")));
        ApiFailure role = failure(() -> accounts.createUser(admin, new NewUser("a@example.com", "password 12", "owner")));
        ApiFailure password = failure(() -> accounts.createUser(admin, new NewUser("a@example.com", "123456789", "viewer")));
        ApiFailure email = failure(() -> accounts.createUser(admin, new NewUser("not an email", "password 12", "viewer")));

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.error()).isEqualTo("email-taken");
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.error()).isEqualTo("bad-role");
        assertThat(role.getMessage()).contains("admin, installer or viewer");
        assertThat(password.error()).isEqualTo("bad-password");
        assertThat(password.getMessage()).contains("at least 10");
        assertThat(email.error()).isEqualTo("bad-email");
        assertThat(count("users")).isOne();
    }

    @Test
    void adminsOfTheFirstOrganizationCreateOrganizationsWithTheirFirstAdmin() {
        AuthenticatedUser founder = firstAdmin();

        OrganizationView acme = accounts.createOrganization(founder,
                new NewOrganization(" Acme Security ", "Boss@Acme.example", "acme password"));

        assertThat(acme.name()).isEqualTo("Acme Security");
        AuthenticatedUser boss = signIn("boss@acme.example", "acme password");
        assertThat(boss.organizationId()).isEqualTo(acme.id()).isNotEqualTo(founder.organizationId());
        assertThat(boss.role()).isEqualTo(Role.ADMIN);
        assertThat(accounts.me(boss).organizationName()).isEqualTo("Acme Security");
        assertThat(accounts.users(boss)).extracting(UserView::email).containsExactly("boss@acme.example");
        assertThat(accounts.users(founder)).extracting(UserView::email).containsExactly(ADMIN);
        assertThat(failure(() -> accounts.createOrganization(boss,
                new NewOrganization("Acme Two", "two@acme.example", "acme password"))).status())
                .as("only the first organization's admins").isEqualTo(403);
    }

    @Test
    void anOrganizationWhoseAdminEmailIsTakenIsNotCreated() {
        AuthenticatedUser founder = firstAdmin();

        ApiFailure taken = failure(() -> accounts.createOrganization(founder,
                new NewOrganization("Acme", ADMIN, "acme password")));
        ApiFailure unnamed = failure(() -> accounts.createOrganization(founder,
                new NewOrganization("  ", "boss@acme.example", "acme password")));

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.error()).isEqualTo("email-taken");
        assertThat(unnamed.error()).isEqualTo("bad-name");
        assertThat(count("organizations")).isOne();
    }

    @Test
    void adminsChangeRolesButTheOrganizationKeepsAnAdmin() {
        AuthenticatedUser admin = firstAdmin();
        UserView viewer = accounts.createUser(admin, new NewUser("viewer@example.com", "viewer password", "viewer"));
        AuthenticatedUser signedIn = signIn("viewer@example.com", "viewer password");

        UserView promoted = accounts.changeRole(admin, viewer.id(), "installer");

        assertThat(promoted.role()).isEqualTo("installer");
        assertThat(signIn("viewer@example.com", "viewer password").role()).isEqualTo(Role.INSTALLER);
        ApiFailure lastAdmin = failure(() -> accounts.changeRole(admin, admin.userId(), "viewer"));
        assertThat(lastAdmin.status()).isEqualTo(409);
        assertThat(lastAdmin.error()).isEqualTo("last-admin");
        assertThat(failure(() -> accounts.changeRole(signedIn, viewer.id(), "admin")).status())
                .as("only admins change roles").isEqualTo(403);
        assertThat(failure(() -> accounts.changeRole(admin, viewer.id(), "owner")).error()).isEqualTo("bad-role");

        // With a second admin the first may step down.
        accounts.changeRole(admin, viewer.id(), "admin");
        assertThat(accounts.changeRole(admin, admin.userId(), "installer").role()).isEqualTo("installer");
    }

    @Test
    void aRemovedUserIsSignedOutAtOnceAndAdminsOnlyReachTheirOwnOrganization() {
        AuthenticatedUser admin = firstAdmin();
        UserView viewer = accounts.createUser(admin, new NewUser("viewer@example.com", "viewer password", "viewer"));
        String token = accounts.login("viewer@example.com", "viewer password", HOME).token();
        OrganizationView acme = accounts.createOrganization(admin,
                new NewOrganization("Acme", "boss@acme.example", "acme password"));
        AuthenticatedUser boss = signIn("boss@acme.example", "acme password");
        assertThat(acme.name()).isEqualTo("Acme");

        ApiFailure stranger = failure(() -> accounts.removeUser(boss, viewer.id()));
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(failure(() -> accounts.changeRole(boss, viewer.id(), "admin")).status()).isEqualTo(404);
        assertThat(failure(() -> accounts.removeUser(admin, admin.userId())).error()).isEqualTo("self");

        accounts.removeUser(admin, viewer.id());

        assertThat(accounts.authenticate(token)).as("the removed user's session").isEmpty();
        assertThat(accounts.users(admin)).extracting(UserView::email).containsExactly(ADMIN);
        assertThat(failure(() -> accounts.login("viewer@example.com", "viewer password", HOME)).status())
                .isEqualTo(401);
    }

    private AuthenticatedUser firstAdmin() {
        accounts.ensureFirstAdmin(ADMIN, Optional.of(ADMIN_PASSWORD));
        return signIn(ADMIN, ADMIN_PASSWORD);
    }

    private AuthenticatedUser signIn(String email, String password) {
        return accounts.authenticate(accounts.login(email, password, HOME).token()).orElseThrow();
    }

    private void failLogins(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(failure(() -> accounts.login(email, "not the password", address)).status())
                    .as("failure %d answered as a wrong password", i + 1).isEqualTo(401);
        }
    }

    private Instant lastUsed() {
        return database.jdbi().withHandle(handle ->
                handle.createQuery("select last_used_at from sessions").mapTo(Instant.class).one());
    }

    private int count(String table) {
        return database.jdbi().withHandle(handle ->
                handle.createQuery("select count(*) from " + table).mapTo(Integer.class).one());
    }

    private static ApiFailure failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ApiFailure.class);
        return (ApiFailure) thrown;
    }
}
