package dev.outpost.cloud.store;

/**
 * The databases the cloud runs on. Store tests are parameterized over these, so the same test runs
 * on embedded H2 and on a real PostgreSQL (see {@link SharedDatabase}).
 */
public enum TestBackend {
    H2,
    POSTGRESQL;

    /** Starts what one test class needs: a database, and for PostgreSQL the server holding it. */
    public SharedDatabase start() {
        return new SharedDatabase(this);
    }
}
