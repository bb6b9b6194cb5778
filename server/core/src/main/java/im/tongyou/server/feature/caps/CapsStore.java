package im.tongyou.server.feature.caps;

import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verified verification strings of XEP-0115 in {@code caps_ver}, with the disco#info XML they
 * were checked against, so the cache survives restarts. No JID is stored. The only code that
 * touches the table.
 */
final class CapsStore {

    private static final Logger log = LoggerFactory.getLogger(CapsStore.class);

    private final Jdbc jdbc;
    private final Clock clock;

    CapsStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /** The disco#info XML a verification string stands for. */
    Optional<String> find(String hash, String ver) {
        return jdbc.queryOne("SELECT info FROM caps_ver WHERE hash = ? AND ver = ?", rs -> rs.getString(1), hash, ver);
    }

    /** Records a verified string; a string already recorded is left as it is. */
    void add(String hash, String ver, String info) {
        try {
            jdbc.update("INSERT INTO caps_ver (hash, ver, info, learned_at) SELECT ?, ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM caps_ver WHERE hash = ? AND ver = ?)",
                    hash, ver, info, clock.instant(), hash, ver);
        } catch (StorageException e) {
            // Two servers on one database learning the same string at once: the other one won.
            log.debug("caps {} {} not recorded: {}", hash, ver, e.getMessage());
        }
    }

    /** Forgets strings learned before the cut-off; a client still using one is asked again. */
    int purgeBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM caps_ver WHERE learned_at < ?", cutoff);
    }

    /** The number of strings recorded. */
    int count() {
        return jdbc.queryOne("SELECT COUNT(*) FROM caps_ver", rs -> rs.getInt(1)).orElse(0);
    }
}
