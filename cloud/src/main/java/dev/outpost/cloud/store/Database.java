package dev.outpost.cloud.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * The cloud's database, ready to use: a connection pool, the schema migrated to this version
 * ({@code db/migration}), and JDBI on top. The same SQL runs on PostgreSQL and on H2 in its
 * PostgreSQL mode.
 */
public final class Database implements AutoCloseable {
    /** SQL:2003 state for a unique constraint violation; PostgreSQL and H2 both report it. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        // Instants travel as TIMESTAMP WITH TIME ZONE in UTC, so the JVM's time zone never shifts them.
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, context) ->
                        statement.setObject(position, value.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            }
        });
        jdbi.registerColumnMapper(Instant.class, (results, column, context) -> {
            OffsetDateTime value = results.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        });
    }

    /** Connects, brings the schema up to date, and fails with the reason if either is impossible. */
    public static Database open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("outpost-cloud");
        switch (settings) {
            case DatabaseSettings.Server server -> {
                config.setJdbcUrl(server.jdbcUrl());
                config.setUsername(server.user());
                if (!server.password().isEmpty()) {
                    config.setPassword(server.password());
                }
            }
            case DatabaseSettings.Embedded embedded -> {
                try {
                    Files.createDirectories(embedded.dataDirectory());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the data directory " + embedded.dataDirectory(), e);
                }
                config.setJdbcUrl(embedded.jdbcUrl());
                config.setUsername("outpost");
            }
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Whether the failure, or one of its causes, is an INSERT or UPDATE that broke a unique constraint. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        pool.close();
    }
}
