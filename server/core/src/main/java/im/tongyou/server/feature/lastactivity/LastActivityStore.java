package im.tongyou.server.feature.lastactivity;

import im.tongyou.server.storage.Jdbc;
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

    void save(String username, Instant at, byte[] status) {
        jdbc.inTransaction(c -> {
            if (Jdbc.update(c, "UPDATE lastactivity SET logout_at = ?, status = ? WHERE username = ?", at, status,
                    username) == 0) {
                Jdbc.update(c, "INSERT INTO lastactivity (username, logout_at, status) VALUES (?, ?, ?)", username, at,
                        status);
            }
            return null;
        });
    }

    Optional<Logout> find(String username) {
        return jdbc.queryOne("SELECT logout_at, status FROM lastactivity WHERE username = ?",
                rs -> new Logout(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getBytes(2)), username);
    }

    void erase(String username) {
        jdbc.update("DELETE FROM lastactivity WHERE username = ?", username);
    }
}
