package im.tongyou.api.privacy;

import java.time.Instant;
import java.util.Optional;

/**
 * The pieces of a retention declaration (design guide §6; privacy requirements R-RET-1, AC-17):
 * every category of personal data declares how long it is kept, a job that purges what is due, and
 * a query for its oldest record, through {@code PluginContext.retention(...)}. One scheduled purge
 * runs every category's job with the server clock and reports each category's oldest record age.
 */
public final class Retention {

    private Retention() {
    }

    /** Removes the records of a category that are due. Blocking; idempotent. */
    @FunctionalInterface
    public interface PurgeJob {
        /**
         * @param now    the server time of this run
         * @param cutoff {@code now} minus the declared period: records whose relevant time (created,
         *               last active, completed...) is before it are due
         * @return how many records were removed
         */
        long purge(Instant now, Instant cutoff);
    }

    /** The time of a category's oldest record. Blocking. */
    @FunctionalInterface
    public interface OldestRecord {
        /** When the oldest record still stored was made (or last active); empty when there is none. */
        Optional<Instant> oldest();
    }
}
