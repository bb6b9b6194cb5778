package im.tongyou.api.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The pieces of a retention declaration (design guide §6; privacy requirements R-RET-1, AC-17):
 * every category of personal data declares how long it is kept, a job that purges what is due, and
 * a query for its oldest record, through {@code PluginContext.retention(...)}. One scheduled purge
 * runs every category's job with the server clock and reports each category's oldest record age.
 */
public final class Retention {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private Retention() {
    }

    /**
     * The oldest-record query of a plugin's own table: {@code MIN(timeColumn)}, a
     * {@code TIMESTAMP WITH TIME ZONE} column.
     */
    public static OldestRecord oldestOf(DataSource dataSource, String table, String timeColumn) {
        if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(timeColumn).matches()) {
            throw new IllegalArgumentException("not a table and column name: " + table + "." + timeColumn);
        }
        String sql = "SELECT MIN(" + timeColumn + ") FROM " + table;
        return () -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                 ResultSet rs = ps.executeQuery()) {
                OffsetDateTime t = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot find the oldest record of " + table + ": " + e.getMessage(), e);
            }
        };
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
