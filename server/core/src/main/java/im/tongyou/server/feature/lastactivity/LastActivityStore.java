package im.tongyou.server.feature.lastactivity;

import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that touches {@code lastactivity}: each user's last logout (XEP-0012 §4).
 *
 * <p>Every logout writes a row, so logouts are written in batches: {@link #save} keeps the logout in
 * memory and asks for a {@link #flush}, which writes every logout kept until then in one transaction
 * (one commit instead of one per logout; a profile of logins had a tenth of the server's CPU in this
 * write). Reads ({@link #find}) see the logouts not written yet; {@link #erase} drops them. A crash
 * loses the logouts of the last flush delay, which only makes "last seen" older.
 */
final class LastActivityStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LastActivityStore.class);
    private static final String UPDATE = "UPDATE lastactivity SET logout_at = ?, status = ? WHERE username = ?";
    private static final String INSERT = "INSERT INTO lastactivity (username, logout_at, status) VALUES (?, ?, ?)";

    /**
     * A user's last logout.
     *
     * @param at     when the last session ended
     * @param status the status of the last unavailable presence, encrypted, or {@code null}
     */
    record Logout(Instant at, byte[] status) {
    }

    private final Jdbc jdbc;
    private final Consumer<Runnable> scheduler;
    private final Map<String, Logout> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Held while writing a batch and while erasing, so that a batch never writes back an erased row. */
    private final Object writing = new Object();

    /** @param scheduler runs {@link #flush} later, on a thread that may block (a delay gathers a batch) */
    LastActivityStore(DataSource dataSource, Consumer<Runnable> scheduler) {
        this.jdbc = new Jdbc(dataSource);
        this.scheduler = scheduler;
    }

    /** Records a logout; it is written by the next flush, and {@link #find} sees it at once. */
    void save(String username, Instant at, byte[] status) {
        pending.merge(username, new Logout(at, status), (old, now) -> now.at().isBefore(old.at()) ? old : now);
        if (scheduled.compareAndSet(false, true)) {
            scheduler.accept(this::flush);
        }
    }

    /** Writes the logouts kept in memory: one transaction, an UPDATE per user (an INSERT for a first logout). */
    void flush() {
        synchronized (writing) {
            scheduled.set(false); // a save from now on asks for another flush
            if (pending.isEmpty()) {
                return;
            }
            Map<String, Logout> batch = new HashMap<>(pending);
            try {
                jdbc.inTransaction(c -> write(c, batch));
            } catch (StorageException e) {
                if (!duplicate(e)) {
                    log.warn("{} logouts not written, kept for the next flush: {}", batch.size(), e.getMessage());
                    return;
                }
                // Another server process on the same database inserted one of the rows first: one by one.
                batch.forEach((username, logout) -> jdbc.inTransaction(c -> write(c, Map.of(username, logout))));
            }
            batch.forEach(pending::remove); // only entries no newer logout replaced meanwhile
        }
    }

    private static Void write(Connection c, Map<String, Logout> batch) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(UPDATE); PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Map.Entry<String, Logout> e : batch.entrySet()) {
                OffsetDateTime at = OffsetDateTime.ofInstant(e.getValue().at(), ZoneOffset.UTC);
                update.setObject(1, at);
                update.setBytes(2, e.getValue().status());
                update.setString(3, e.getKey());
                if (update.executeUpdate() == 0) {
                    insert.setString(1, e.getKey());
                    insert.setObject(2, at);
                    insert.setBytes(3, e.getValue().status());
                    insert.executeUpdate();
                }
            }
        }
        return null;
    }

    private static boolean duplicate(StorageException e) {
        return e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }

    Optional<Logout> find(String username) {
        Logout kept = pending.get(username);
        if (kept != null) {
            return Optional.of(kept);
        }
        return jdbc.queryOne("SELECT logout_at, status FROM lastactivity WHERE username = ?",
                rs -> new Logout(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getBytes(2)), username);
    }

    void erase(String username) {
        synchronized (writing) {
            pending.remove(username);
            jdbc.update("DELETE FROM lastactivity WHERE username = ?", username);
        }
    }

    /** Writes what is kept when the plugin stops. */
    @Override
    public void close() {
        flush();
    }
}
