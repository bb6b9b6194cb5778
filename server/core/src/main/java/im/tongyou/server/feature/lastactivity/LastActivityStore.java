package im.tongyou.server.feature.lastactivity;

import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.StorageException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/** The only code that touches {@code lastactivity}: each user's last logout (XEP-0012 §4). */
final class LastActivityStore {

    /**
     * A user's last logout.
     *
     * @param at     when the last session ended
     * @param status the status of the last unavailable presence, encrypted, or {@code null}
     */
    record Logout(Instant at, byte[] status) {
    }

    private final Jdbc jdbc;

    LastActivityStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Records a logout: one statement in auto-commit, as every logout writes this row (the commit and
     * auto-commit switches of an explicit transaction were a quarter of its cost in a profile). Two
     * first logouts of a user at once: the second insert fails on the key and becomes an update.
     */
    void save(String username, Instant at, byte[] status) {
        if (update(username, at, status) > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO lastactivity (username, logout_at, status) VALUES (?, ?, ?)", username, at, status);
        } catch (StorageException e) {
            if (!(e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState()))) {
                throw e;
            }
            update(username, at, status);
        }
    }

    private int update(String username, Instant at, byte[] status) {
        return jdbc.update("UPDATE lastactivity SET logout_at = ?, status = ? WHERE username = ?", at, status, username);
    }

    Optional<Logout> find(String username) {
        return jdbc.queryOne("SELECT logout_at, status FROM lastactivity WHERE username = ?",
                rs -> new Logout(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getBytes(2)), username);
    }

    void erase(String username) {
        jdbc.update("DELETE FROM lastactivity WHERE username = ?", username);
    }
}
