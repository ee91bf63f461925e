package dev.outpost.cloud.accounts;

import dev.outpost.cloud.store.Database;
import java.time.Clock;

/**
 * Accounts for tests: real Argon2id, at a cost of 256 KiB and one pass instead of OWASP's 19 MiB and
 * two, so a test can log in dozens of times in well under a second. PasswordHasherTest covers the
 * real cost.
 */
public final class TestAccounts {
    private TestAccounts() {
    }

    public static Accounts create(Database database, Clock clock) {
        return new Accounts(database, clock, new PasswordHasher(256, 1, 1));
    }
}
