package im.tongyou.server.privacy;

import im.tongyou.api.privacy.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every category of personal data with its declared retention (privacy requirements §1.10,
 * R-RET-1): {@link #purgeAll()} runs each category's purge job with the server clock and reports
 * each category's oldest record age, in a log line and as {@link Report}s for the admin command.
 */
public final class RetentionRegistry {

    private static final Logger log = LoggerFactory.getLogger(RetentionRegistry.class);

    /**
     * One declared category.
     *
     * @param category the data-map category
     * @param owner    the plugin that declared it
     * @param period   the longest a record is kept, or {@code null} for the life of the account
     * @param purge    the purge job, or {@code null} when there is no age limit
     * @param oldest   the oldest-record query
     */
    public record Category(String category, String owner, Duration period, Retention.PurgeJob purge,
                           Retention.OldestRecord oldest) {
    }

    /**
     * What one run found for one category.
     *
     * @param category   the category
     * @param period     the declared period, or {@code null} for the life of the account
     * @param purged     records removed by this run (0 without a job)
     * @param oldest     when the oldest record left was made, or {@code null} when none is left
     * @param oldestAge  its age at the run, or {@code null}
     * @param error      why the job failed, or {@code null}
     */
    public record Report(String category, Duration period, long purged, Instant oldest, Duration oldestAge,
                         String error) {
    }

    private final List<Category> categories = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public RetentionRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Declares a category; the returned handle removes it. */
    public synchronized AutoCloseable add(Category category) {
        if (category.period() != null && (category.period().isNegative() || category.period().isZero())) {
            throw new IllegalArgumentException("the retention of '" + category.category() + "' must be positive");
        }
        if (category.period() != null && category.purge() == null) {
            throw new IllegalArgumentException("the category '" + category.category() + "' needs a purge job");
        }
        for (Category c : categories) {
            if (c.category().equals(category.category())) {
                throw new IllegalStateException("the retention of '" + category.category()
                        + "' is declared twice (by " + c.owner() + " and " + category.owner() + ")");
            }
        }
        categories.add(category);
        return () -> categories.remove(category);
    }

    /** The declared categories, in declaration order. */
    public List<Category> categories() {
        return List.copyOf(categories);
    }

    /** The declaration of a category, if any. */
    public Optional<Category> find(String category) {
        return categories.stream().filter(c -> c.category().equals(category)).findFirst();
    }

    /**
     * Runs every purge job with the server clock, then reports each category's oldest record; a
     * failing job is logged and reported, and the others still run.
     */
    public List<Report> purgeAll() {
        Instant now = clock.instant();
        List<Report> reports = new ArrayList<>();
        for (Category c : categories) {
            long purged = 0;
            String error = null;
            try {
                if (c.purge() != null) {
                    purged = c.purge().purge(now, now.minus(c.period()));
                }
            } catch (RuntimeException e) {
                log.error("retention: the purge of '{}' failed", c.category(), e);
                error = e.getClass().getSimpleName();
            }
            reports.add(report(c, now, purged, error));
        }
        reports.forEach(r -> log.info("retention: {} kept {} purged {} oldest record age {}{}", r.category(),
                r.period() == null ? "for the account's life" : r.period(), r.purged(),
                r.oldestAge() == null ? "none" : r.oldestAge(), r.error() == null ? "" : " (purge failed)"));
        return reports;
    }

    /** Each category's oldest record without purging anything. */
    public List<Report> report() {
        Instant now = clock.instant();
        List<Report> reports = new ArrayList<>();
        categories.forEach(c -> reports.add(report(c, now, 0, null)));
        return reports;
    }

    private static Report report(Category c, Instant now, long purged, String error) {
        Instant oldest = null;
        try {
            oldest = c.oldest().oldest().orElse(null);
        } catch (RuntimeException e) {
            log.error("retention: the oldest record of '{}' cannot be found", c.category(), e);
            error = error == null ? e.getClass().getSimpleName() : error;
        }
        return new Report(c.category(), c.period(), purged, oldest,
                oldest == null ? null : Duration.between(oldest, now), error);
    }
}
