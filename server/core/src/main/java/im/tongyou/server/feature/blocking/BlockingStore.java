package im.tongyou.server.feature.blocking;

import im.tongyou.server.storage.Jdbc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/** The only code that touches {@code blocking_item}: each user's blocked JIDs (XEP-0191). */
final class BlockingStore {

    private final Jdbc jdbc;

    BlockingStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** The user's blocked JIDs, as prepared strings, in the order they were blocked. */
    List<String> list(String username) {
        return jdbc.query("SELECT jid FROM blocking_item WHERE username = ? ORDER BY blocked_at, jid",
                rs -> rs.getString(1), username);
    }

    /** Blocks the JIDs not blocked yet; returns those newly blocked. */
    List<String> add(String username, Collection<String> jids, Instant now) {
        return jdbc.inTransaction(c -> {
            List<String> added = new ArrayList<>();
            for (String jid : jids) {
                if (Jdbc.query(c, "SELECT 1 FROM blocking_item WHERE username = ? AND jid = ?", rs -> 1, username, jid)
                        .isEmpty()) {
                    Jdbc.update(c, "INSERT INTO blocking_item (username, jid, blocked_at) VALUES (?, ?, ?)",
                            username, jid, now);
                    added.add(jid);
                }
            }
            return added;
        });
    }

    /** Unblocks the JIDs; returns those that were blocked. */
    List<String> remove(String username, Collection<String> jids) {
        return jdbc.inTransaction(c -> {
            List<String> removed = new ArrayList<>();
            for (String jid : jids) {
                if (Jdbc.update(c, "DELETE FROM blocking_item WHERE username = ? AND jid = ?", username, jid) > 0) {
                    removed.add(jid);
                }
            }
            return removed;
        });
    }

    /** Unblocks everything; returns what was blocked. */
    List<String> removeAll(String username) {
        return jdbc.inTransaction(c -> {
            List<String> all = Jdbc.query(c, "SELECT jid FROM blocking_item WHERE username = ?", rs -> rs.getString(1),
                    username);
            Jdbc.update(c, "DELETE FROM blocking_item WHERE username = ?", username);
            return all;
        });
    }

    int count(String username) {
        return jdbc.queryOne("SELECT COUNT(*) FROM blocking_item WHERE username = ?", rs -> rs.getInt(1), username)
                .orElse(0);
    }
}
