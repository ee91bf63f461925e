package dev.outpost.cloud.store;

import java.nio.file.Path;

/**
 * Where the cloud keeps its data: a PostgreSQL server, or an embedded H2 database in the data
 * directory (the default, so a laptop needs nothing installed).
 */
public sealed interface DatabaseSettings {

    /** A PostgreSQL server; {@code password} is empty when the server does not ask for one. */
    static DatabaseSettings postgresql(String jdbcUrl, String user, String password) {
        return new Server(jdbcUrl, user, password);
    }

    /** An H2 database in the file {@code DATA/cloud.mv.db}, in H2's PostgreSQL mode. */
    static DatabaseSettings embedded(Path dataDirectory) {
        return new Embedded(dataDirectory);
    }

    record Server(String jdbcUrl, String user, String password) implements DatabaseSettings {
        public Server {
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("database URL must start with jdbc:postgresql:, not " + jdbcUrl);
            }
        }

        @Override
        public String toString() {
            return "Server[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
        }
    }

    record Embedded(Path dataDirectory) implements DatabaseSettings {
        /** PostgreSQL mode plus the settings that make H2 read our SQL the way PostgreSQL does. */
        public String jdbcUrl() {
            return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("cloud")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
    }
}
