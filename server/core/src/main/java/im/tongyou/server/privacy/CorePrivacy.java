package im.tongyou.server.privacy;

import im.tongyou.server.account.AccountStore;
import im.tongyou.server.config.ServerConfig;
import im.tongyou.server.storage.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The core's own retention declarations (accounts, data keys, the audit trail, finished erasures)
 * and the two scheduled privacy jobs: the retention purge and the resumption of pending erasures
 * (privacy requirements R-RET-1, R-DSR-4).
 */
public final class CorePrivacy {

    private CorePrivacy() {
    }

    /** Declares the retention of the core's categories of personal data. */
    public static void declareRetention(RetentionRegistry registry, ServerConfig.Privacy options, AccountStore accounts,
                                        HashChainedAuditLog audit, DataSource dataSource) {
        Jdbc jdbc = new Jdbc(dataSource);
        register(registry, new RetentionRegistry.Category("account", "core", null, null, accounts::oldestCreated));
        register(registry, new RetentionRegistry.Category("data-key", "core", null, null, () -> oldest(jdbc,
                "SELECT MIN(created_at) FROM crypto_user_key WHERE wrapped_key IS NOT NULL")));
        Duration audits = Duration.ofDays(options.auditRetentionDays());
        register(registry, new RetentionRegistry.Category("audit", "core", audits,
                (now, cutoff) -> audit.purgeBefore(cutoff), audit::oldest));
        // Finished erasures hold no name: they are the proof the erasure ran, kept like the audit trail.
        register(registry, new RetentionRegistry.Category("erasure-record", "core", audits,
                (now, cutoff) -> jdbc.update("DELETE FROM privacy_erasure WHERE completed_at IS NOT NULL "
                        + "AND completed_at < ?", cutoff),
                () -> oldest(jdbc, "SELECT MIN(requested_at) FROM privacy_erasure")));
    }

    /**
     * Schedules the retention purge and the erasure job on the server's timer (the work runs on the
     * workers); pending erasures are resumed at once, since a restart may have interrupted them.
     */
    public static void schedule(ScheduledExecutorService timer, ExecutorService workers, RetentionRegistry registry,
                                Cancellations cancellations, ServerConfig.Privacy options, List<AutoCloseable> closeables) {
        long purge = options.purgeIntervalMinutes();
        long erasure = options.erasureIntervalMinutes();
        Future<?> purges = timer.scheduleWithFixedDelay(() -> workers.execute(registry::purgeAll), purge, purge,
                TimeUnit.MINUTES);
        Future<?> erasures = timer.scheduleWithFixedDelay(() -> workers.execute(cancellations::resumePending), 0,
                erasure, TimeUnit.MINUTES);
        closeables.add(() -> {
            purges.cancel(false);
            erasures.cancel(false);
        });
    }

    private static void register(RetentionRegistry registry, RetentionRegistry.Category category) {
        registry.add(category);
    }

    private static java.util.Optional<Instant> oldest(Jdbc jdbc, String sql) {
        return jdbc.queryOne(sql, rs -> rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
