package dev.outpost.cloud.accounts;

import dev.outpost.cloud.ApiFailure;
import dev.outpost.cloud.store.Database;
import dev.outpost.cloud.store.RandomIds;
import dev.outpost.cloud.store.Secrets;
import dev.outpost.wire.api.LoginResponse;
import dev.outpost.wire.api.NewOrganization;
import dev.outpost.wire.api.NewUser;
import dev.outpost.wire.api.OrganizationView;
import dev.outpost.wire.api.UserView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organizations, users, passwords and sessions. Blocking (database and Argon2id): call it from
 * virtual threads, never from an event loop.
 */
public final class Accounts {
    private static final Logger log = LoggerFactory.getLogger(Accounts.class);

    static final Duration SESSION_LIFETIME = Duration.ofDays(7);
    /** A session's last use is written at most this often, so each request need not write. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    static final int MIN_PASSWORD_CHARS = 10;
    static final int MAX_PASSWORD_CHARS = 1024;
    static final int GENERATED_PASSWORD_CHARS = 20;
    static final int THROTTLED_KEYS = 10_000;
    static final String FIRST_ORGANIZATION_NAME = "Default";

    /** Letters and digits without the look-alikes 0 O 1 I l, for passwords read off a terminal. */
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");
    private static final int MAX_EMAIL_CHARS = 320;
    private static final int MAX_NAME_CHARS = 200;
    private static final int MAX_TOKEN_CHARS = 100;

    private final Jdbi jdbi;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SecureRandom random = new SecureRandom();
    /** Checked when the email is unknown, so an unknown email costs as much time as a wrong password. */
    private final String dummyHash;

    record UserRow(String id, String email, String passwordHash, String role, String organizationId,
                   String organizationName) {
    }

    record SessionRow(Instant expiresAt, Instant lastUsedAt, String userId, String email, String role,
                      String organizationId, String organizationName) {
    }

    public Accounts(Database database, Clock clock) {
        this(database, clock, new PasswordHasher());
    }

    public Accounts(Database database, Clock clock, PasswordHasher hasher) {
        this.jdbi = database.jdbi();
        this.clock = clock;
        this.hasher = hasher;
        this.throttle = new LoginThrottle(clock, THROTTLED_KEYS);
        this.dummyHash = hasher.hash(Secrets.newSecret(random));
    }

    /**
     * On a database without users, creates the organization "Default" and its admin. Returns the
     * password it generated for the admin, if it did; empty when users exist already (the database
     * is left as it is) or when {@code password} was given.
     *
     * @throws IllegalArgumentException if the email or the given password is unusable
     */
    public Optional<String> ensureFirstAdmin(String email, Optional<String> password) {
        String normalized;
        try {
            normalized = normalizeEmail(email);
            password.ifPresent(Accounts::checkPassword);
        } catch (ApiFailure e) {
            throw new IllegalArgumentException("first admin: " + e.getMessage(), e);
        }
        if (hasUsers()) {
            return Optional.empty();
        }
        String chosen = password.orElseGet(this::generatePassword);
        String hash = hasher.hash(chosen);
        Instant now = now();
        try {
            boolean created = jdbi.inTransaction(handle -> {
                if (hasUsers(handle)) {
                    return false;
                }
                String organizationId = RandomIds.next(random, 'o');
                handle.createUpdate("""
                                insert into organizations (id, name, founding, created_at)
                                values (:id, :name, true, :now)""")
                        .bind("id", organizationId)
                        .bind("name", FIRST_ORGANIZATION_NAME)
                        .bind("now", now)
                        .execute();
                insertUser(handle, organizationId, normalized, hash, Role.ADMIN, now);
                return true;
            });
            if (!created) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                return Optional.empty(); // another process founded the first organization at the same moment
            }
            throw e;
        }
        log.info("created organization {} and its admin {}", FIRST_ORGANIZATION_NAME, normalized);
        return password.isPresent() ? Optional.empty() : Optional.of(chosen);
    }

    /**
     * Checks the password and opens a session.
     *
     * @throws ApiFailure 401 {@code bad-login} for a wrong email or password (the same answer for both),
     *                    429 {@code slow-down} after repeated failures for this email or address
     */
    public LoginResponse login(String email, String password, String remoteAddress) {
        String emailKey = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        // An over-long "email" cannot be anyone's: one shared key, so junk cannot grow the throttle's memory.
        String emailThrottleKey = emailKey.length() > MAX_EMAIL_CHARS ? "email:<too long>" : "email:" + emailKey;
        List<String> throttleKeys = List.of(emailThrottleKey, "address:" + remoteAddress);
        throttle.admit(throttleKeys).ifPresent(wait -> {
            throw ApiFailure.tooManyRequests("too many failed logins: wait " + wait.toSeconds()
                    + " s, then try again", wait);
        });
        Optional<UserRow> user = emailKey.isEmpty() || emailKey.length() > MAX_EMAIL_CHARS
                ? Optional.empty()
                : jdbi.withHandle(handle -> handle.createQuery("""
                                select u.id, u.email, u.password_hash, u.role, o.id as organization_id,
                                       o.name as organization_name
                                from users u join organizations o on o.id = u.organization_id
                                where u.email = :email""")
                        .bind("email", emailKey)
                        .map(ConstructorMapper.of(UserRow.class))
                        .findOne());
        String presented = password == null || password.length() > MAX_PASSWORD_CHARS ? "" : password;
        boolean matches = hasher.verify(presented, user.map(UserRow::passwordHash).orElse(dummyHash));
        if (!matches || user.isEmpty() || presented.isEmpty()) {
            throw new ApiFailure(401, "bad-login", "wrong email or password");
        }
        throttle.succeeded(throttleKeys);

        UserRow who = user.get();
        String token = Secrets.newSecret(random);
        Instant now = now();
        Instant expiresAt = now.plus(SESSION_LIFETIME);
        jdbi.useTransaction(handle -> {
            handle.createUpdate("delete from sessions where expires_at <= :now").bind("now", now).execute();
            handle.createUpdate("""
                            insert into sessions (token_hash, user_id, created_at, expires_at, last_used_at)
                            values (:hash, :user, :now, :expires, :now)""")
                    .bind("hash", Secrets.hash(token))
                    .bind("user", who.id())
                    .bind("now", now)
                    .bind("expires", expiresAt)
                    .execute();
        });
        return new LoginResponse(token, expiresAt, new UserView(who.id(), who.email(), who.role(),
                who.organizationId(), who.organizationName()));
    }

    /** The user behind a session token; empty if the token is unknown, expired or logged out. */
    public Optional<AuthenticatedUser> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String tokenHash = Secrets.hash(token);
        Instant now = now();
        Optional<SessionRow> session = jdbi.withHandle(handle -> handle.createQuery("""
                        select s.expires_at, s.last_used_at, u.id as user_id, u.email, u.role,
                               o.id as organization_id, o.name as organization_name
                        from sessions s
                        join users u on u.id = s.user_id
                        join organizations o on o.id = u.organization_id
                        where s.token_hash = :hash""")
                .bind("hash", tokenHash)
                .map(ConstructorMapper.of(SessionRow.class))
                .findOne());
        if (session.isEmpty()) {
            return Optional.empty();
        }
        SessionRow found = session.get();
        if (!found.expiresAt().isAfter(now)) {
            jdbi.useHandle(handle -> handle.createUpdate("delete from sessions where token_hash = :hash")
                    .bind("hash", tokenHash).execute());
            return Optional.empty();
        }
        if (!found.lastUsedAt().plus(TOUCH_INTERVAL).isAfter(now)) {
            jdbi.useHandle(handle -> handle.createUpdate(
                            "update sessions set last_used_at = :now where token_hash = :hash")
                    .bind("now", now)
                    .bind("hash", tokenHash)
                    .execute());
        }
        return Optional.of(new AuthenticatedUser(found.userId(), found.email(), Role.fromLabel(found.role()),
                found.organizationId(), found.organizationName()));
    }

    /** Ends the session; unknown tokens are ignored, so logging out twice is harmless. */
    public void logout(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return;
        }
        jdbi.useHandle(handle -> handle.createUpdate("delete from sessions where token_hash = :hash")
                .bind("hash", Secrets.hash(token))
                .execute());
    }

    public UserView me(AuthenticatedUser user) {
        return new UserView(user.userId(), user.email(), user.role().label(), user.organizationId(),
                user.organizationName());
    }

    /** The users of the admin's organization, by email. */
    public List<UserView> users(AuthenticatedUser admin) {
        requireAdmin(admin, "only admins see the list of users");
        return jdbi.withHandle(handle -> handle.createQuery("""
                        select u.id, u.email, u.role, o.id as organization_id, o.name as organization_name
                        from users u join organizations o on o.id = u.organization_id
                        where u.organization_id = :organization
                        order by u.email""")
                .bind("organization", admin.organizationId())
                .map((row, context) -> new UserView(row.getString("id"), row.getString("email"),
                        row.getString("role"), row.getString("organization_id"), row.getString("organization_name")))
                .list());
    }

    /**
     * Adds a user to the admin's own organization.
     *
     * @throws ApiFailure 403 for non-admins; 400 {@code bad-email}, {@code bad-password}, {@code bad-role};
     *                    409 {@code email-taken}
     */
    public UserView createUser(AuthenticatedUser admin, NewUser request) {
        requireAdmin(admin, "only admins add users");
        String email = normalizeEmail(request.email());
        checkPassword(request.password());
        Role role = parseRole(request.role());
        String hash = hasher.hash(request.password());
        Instant now = now();
        String id = insertOrExplain(email, () -> jdbi.inTransaction(handle ->
                insertUser(handle, admin.organizationId(), email, hash, role, now)));
        log.info("{} added user {} ({}) to organization {}", admin.email(), email, role.label(), admin.organizationId());
        return new UserView(id, email, role.label(), admin.organizationId(), admin.organizationName());
    }

    /**
     * Gives a user of the admin's organization another role. The organization keeps at least one admin.
     *
     * @throws ApiFailure 403 for non-admins; 404 for a user of another organization; 400 {@code bad-role};
     *                    409 {@code last-admin}
     */
    public UserView changeRole(AuthenticatedUser admin, String userId, String requestedRole) {
        requireAdmin(admin, "only admins change roles");
        Role role = parseRole(requestedRole);
        UserView changed = jdbi.inTransaction(handle -> {
            UserView user = userOf(handle, admin, userId);
            if (user.role().equals(Role.ADMIN.label()) && role != Role.ADMIN && admins(handle, admin) <= 1) {
                throw ApiFailure.conflict("last-admin", "the organization needs an admin: make another user admin"
                        + " before changing " + user.email() + "'s role");
            }
            handle.createUpdate("update users set role = :role where id = :id")
                    .bind("role", role.label())
                    .bind("id", userId)
                    .execute();
            return new UserView(user.id(), user.email(), role.label(), user.organizationId(), user.organizationName());
        });
        log.info("{} made {} {}", admin.email(), changed.email(), role.label());
        return changed;
    }

    /**
     * Removes a user of the admin's organization and ends their sessions at once. An admin cannot remove themself.
     *
     * @throws ApiFailure 403 for non-admins; 404 for a user of another organization; 409 {@code self}
     */
    public void removeUser(AuthenticatedUser admin, String userId) {
        requireAdmin(admin, "only admins remove users");
        if (admin.userId().equals(userId)) {
            throw ApiFailure.conflict("self", "you cannot remove yourself; ask another admin");
        }
        UserView removed = jdbi.inTransaction(handle -> {
            UserView user = userOf(handle, admin, userId);
            handle.createUpdate("delete from sessions where user_id = :id").bind("id", userId).execute();
            handle.createUpdate("delete from users where id = :id").bind("id", userId).execute();
            return user;
        });
        log.info("{} removed user {}", admin.email(), removed.email());
    }

    private static UserView userOf(Handle handle, AuthenticatedUser admin, String userId) {
        return handle.createQuery("""
                        select u.id, u.email, u.role, o.id as organization_id, o.name as organization_name
                        from users u join organizations o on o.id = u.organization_id
                        where u.id = :id and u.organization_id = :organization""")
                .bind("id", userId == null ? "" : userId)
                .bind("organization", admin.organizationId())
                .map((row, context) -> new UserView(row.getString("id"), row.getString("email"),
                        row.getString("role"), row.getString("organization_id"), row.getString("organization_name")))
                .findOne()
                .orElseThrow(() -> ApiFailure.notFound("no user " + userId + " in your organization"));
    }

    private static int admins(Handle handle, AuthenticatedUser admin) {
        return handle.createQuery("select count(*) from users where organization_id = :organization and role = :role")
                .bind("organization", admin.organizationId())
                .bind("role", Role.ADMIN.label())
                .mapTo(Integer.class)
                .one();
    }

    /**
     * Creates an organization with its first admin.
     *
     * @throws ApiFailure 403 unless the caller is an admin of the first organization; 400 {@code bad-name},
     *                    {@code bad-email}, {@code bad-password}; 409 {@code email-taken}
     */
    public OrganizationView createOrganization(AuthenticatedUser admin, NewOrganization request) {
        String onlyFounders = "only admins of the first organization create organizations";
        requireAdmin(admin, onlyFounders);
        boolean founding = jdbi.withHandle(handle -> handle.createQuery(
                        "select count(*) from organizations where id = :id and founding = true")
                .bind("id", admin.organizationId())
                .mapTo(Integer.class)
                .one()) > 0;
        if (!founding) {
            throw ApiFailure.forbidden(onlyFounders);
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            throw ApiFailure.badRequest("bad-name", "organization name must have 1 to " + MAX_NAME_CHARS + " characters");
        }
        String email = normalizeEmail(request.adminEmail());
        checkPassword(request.adminPassword());
        String hash = hasher.hash(request.adminPassword());
        Instant now = now();
        String organizationId = RandomIds.next(random, 'o');
        insertOrExplain(email, () -> jdbi.inTransaction(handle -> {
            handle.createUpdate("insert into organizations (id, name, created_at) values (:id, :name, :now)")
                    .bind("id", organizationId)
                    .bind("name", name)
                    .bind("now", now)
                    .execute();
            return insertUser(handle, organizationId, email, hash, Role.ADMIN, now);
        }));
        log.info("{} created organization {} ({}) with admin {}", admin.email(), name, organizationId, email);
        return new OrganizationView(organizationId, name);
    }

    private String insertOrExplain(String email, Supplier<String> insert) {
        try {
            return insert.get();
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                throw ApiFailure.conflict("email-taken", "a user with the email " + email
                        + " exists already: choose another email");
            }
            throw e;
        }
    }

    private String insertUser(Handle handle, String organizationId, String email, String passwordHash, Role role,
                              Instant now) {
        String id = RandomIds.next(random, 'u');
        handle.createUpdate("""
                        insert into users (id, organization_id, email, password_hash, role, created_at)
                        values (:id, :organization, :email, :hash, :role, :now)""")
                .bind("id", id)
                .bind("organization", organizationId)
                .bind("email", email)
                .bind("hash", passwordHash)
                .bind("role", role.label())
                .bind("now", now)
                .execute();
        return id;
    }

    private boolean hasUsers() {
        return jdbi.withHandle(Accounts::hasUsers);
    }

    private static boolean hasUsers(Handle handle) {
        return handle.createQuery("select count(*) from users").mapTo(Integer.class).one() > 0;
    }

    private static void requireAdmin(AuthenticatedUser user, String message) {
        if (user.role() != Role.ADMIN) {
            throw ApiFailure.forbidden(message);
        }
    }

    /** Emails are compared without case, so they are stored in lowercase. */
    private static String normalizeEmail(String email) {
        String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > MAX_EMAIL_CHARS || !EMAIL.matcher(normalized).matches()) {
            throw ApiFailure.badRequest("bad-email", "email must look like name@example.com");
        }
        return normalized;
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_CHARS || password.length() > MAX_PASSWORD_CHARS) {
            throw ApiFailure.badRequest("bad-password", "password must have at least " + MIN_PASSWORD_CHARS
                    + " characters (and at most " + MAX_PASSWORD_CHARS + ")");
        }
    }

    private static Role parseRole(String label) {
        try {
            return Role.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiFailure.badRequest("bad-role", e.getMessage());
        }
    }

    private String generatePassword() {
        StringBuilder password = new StringBuilder(GENERATED_PASSWORD_CHARS);
        for (int i = 0; i < GENERATED_PASSWORD_CHARS; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    /** PostgreSQL keeps microseconds; so do we, so that what we return equals what we stored. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
