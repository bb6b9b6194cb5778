package im.tongyou.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import im.tongyou.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.ui.LoggerUIService;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: a HikariCP pool over embedded H2 (default) or PostgreSQL, with the core
 * Liquibase changelog applied when it opens (design guide §5).
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    static final String CORE_CHANGELOG = "im/tongyou/server/db/core-changelog.xml";

    private final HikariDataSource dataSource;
    private Durability durability;
    private final java.util.List<Changelog> changelogs = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A changelog the server applied (or found applied), for the data-map check (AC-29).
     *
     * @param resource the classpath resource
     * @param loader   the class loader that has it
     */
    public record Changelog(String resource, ClassLoader loader) {
    }

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the configured database and brings the core schema up to date. */
    public static Database open(ServerConfig config) {
        String url = jdbcUrl(config);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.database().username());
        hikari.setPassword(config.database().password());
        hikari.setMaximumPoolSize(config.database().maxPoolSize());
        hikari.setMinimumIdle(1);
        hikari.setPoolName("tongyou-db");
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(10_000);
        hikari.setExceptionOverrideClassName(EvictBrokenConnections.class.getName());
        Database database;
        try {
            database = new Database(new HikariDataSource(hikari));
        } catch (RuntimeException e) {
            throw new StorageException("cannot open the database " + maskedUrl(url) + ": " + rootMessage(e), e);
        }
        try {
            database.applyChangelog(CORE_CHANGELOG, Database.class.getClassLoader());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /**
     * The JDBC URL: the configured one, or an H2 file database {@code tongyou} in the data directory.
     * H2 runs in its default (PostgreSQL-portable) mode; the file is locked while the server runs.
     */
    public static String jdbcUrl(ServerConfig config) {
        String url = config.database().url();
        if (url != null && !url.isBlank()) {
            return url;
        }
        Path dir = config.server().dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
        return "jdbc:h2:file:" + dir.resolve("tongyou") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The pooled data source. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Making commits durable before they are acknowledged (a checkpoint on embedded H2). */
    public synchronized Durability durability() {
        if (durability == null) {
            durability = Durability.of(dataSource);
        }
        return durability;
    }

    /**
     * Applies a Liquibase changelog from the class loader's resources; blocks until done. A
     * changelog whose exact bytes were applied before is skipped without starting Liquibase
     * ({@link AppliedChangelogs}), which keeps restarts fast.
     */
    public void applyChangelog(String resource, ClassLoader loader) {
        changelogs.add(new Changelog(resource, loader));
        long start = System.nanoTime();
        AppliedChangelogs applied = new AppliedChangelogs(dataSource);
        String checksum = applied.checksum(resource, loader);
        if (checksum != null && applied.isApplied(resource, checksum)) {
            return;
        }
        runLiquibase(resource, loader);
        if (checksum != null) {
            applied.record(resource, checksum);
        }
        log.debug("changelog {} applied in {} ms", resource, (System.nanoTime() - start) / 1_000_000);
    }

    private void runLiquibase(String resource, ClassLoader loader) {
        try (Connection connection = dataSource.getConnection()) {
            liquibase.database.Database db = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Map<String, Object> scope = Map.of(Scope.Attr.ui.name(), new LoggerUIService());
            Scope.child(scope, () -> {
                try (Liquibase liquibase = new Liquibase(resource, new ClassLoaderResourceAccessor(loader), db)) {
                    liquibase.update("");
                }
            });
        } catch (SQLException | liquibase.exception.LiquibaseException e) {
            throw new StorageException("cannot apply the database changelog " + resource + ": " + rootMessage(e), e);
        } catch (Exception e) {
            throw new StorageException("cannot apply the database changelog " + resource + ": " + rootMessage(e), e);
        }
    }

    /** Every changelog applied since the database opened, in order. */
    public java.util.List<Changelog> appliedChangelogs() {
        return java.util.List.copyOf(changelogs);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String maskedUrl(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
