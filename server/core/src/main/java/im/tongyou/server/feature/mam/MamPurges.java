package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.storage.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes archived messages older than a key (XEP-0313 leaves retention to the server; here the
 * server's period, a user's shorter one, and a user's purge of their own archive): whole buckets
 * before the cut, and the messages before it in the buckets across it, whose stanzas are sealed again.
 */
final class MamPurges {

    private static final Logger log = LoggerFactory.getLogger(MamPurges.class);

    private final Jdbc jdbc;
    private final Crypto crypto;

    MamPurges(Jdbc jdbc, Crypto crypto) {
        this.jdbc = jdbc;
        this.crypto = crypto;
    }

    /** Deletes the owner's messages with a key below {@code beforeId}; returns how many. */
    int purge(String owner, long beforeId) {
        return jdbc.inTransaction(c -> {
            long n = MamStore.sum(c, "WHERE owner = ? AND last_id < ?", owner, beforeId);
            Jdbc.update(c, "DELETE FROM mam_bucket WHERE owner = ? AND last_id < ?", owner, beforeId);
            Jdbc.update(c, "DELETE FROM mam_uid WHERE owner = ? AND id < ?", owner, beforeId);
            return (int) (n + trim(c, " AND owner = ?", beforeId, owner));
        });
    }

    /**
     * Deletes every archive's messages with a key below {@code beforeId}, in transactions of at most
     * {@code chunk} buckets so that a large purge does not hold one huge transaction; returns how many.
     */
    long purgeAll(long beforeId, int chunk) {
        long total = 0;
        while (true) {
            long[] done = jdbc.inTransaction(c -> {
                List<long[]> rows = Jdbc.query(c, "SELECT last_id, messages FROM mam_bucket WHERE last_id < ?"
                        + " ORDER BY last_id FETCH FIRST " + chunk + " ROWS ONLY",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)}, beforeId);
                if (rows.isEmpty()) {
                    return new long[] {0, 0};
                }
                Jdbc.update(c, "DELETE FROM mam_bucket WHERE last_id <= ?", rows.get(rows.size() - 1)[0]);
                return new long[] {rows.size(), rows.stream().mapToLong(r -> r[1]).sum()};
            });
            total += done[1];
            if (done[0] < chunk) {
                break;
            }
        }
        return total + jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM mam_uid WHERE id < ?", beforeId);
            return trim(c, "", beforeId);
        });
    }

    /**
     * Removes the keys below {@code beforeId} from the buckets that straddle it, sealing the stanzas
     * kept again; returns how many. A bucket that can no longer be decrypted goes as a whole.
     */
    private long trim(Connection c, String where, long beforeId, Object... params) throws SQLException {
        record Straddling(long lastId, String owner, int messages, byte[] entries) {
        }
        List<Object> all = new ArrayList<>(List.of(beforeId, MamBucket.plusSpan(beforeId), beforeId));
        all.addAll(List.of(params));
        List<Straddling> straddling = Jdbc.query(c, "SELECT last_id, owner, messages, entries FROM mam_bucket"
                + " WHERE last_id >= ? AND last_id <= ? AND first_id < ?" + where,
                rs -> new Straddling(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getBytes(4)), all.toArray());
        long removed = 0;
        for (Straddling b : straddling) {
            List<MamBucket.Entry> kept;
            try {
                kept = MamBucket.open(b.entries(), b.owner(), crypto, id -> id >= beforeId).stream()
                        .filter(e -> e.id() >= beforeId).toList();
            } catch (Crypto.KeyDestroyedException | IllegalArgumentException unreadable) {
                log.warn("an archive bucket that cannot be read any more is purged whole: {}", unreadable.getMessage());
                Jdbc.update(c, "DELETE FROM mam_bucket WHERE last_id = ?", b.lastId());
                removed += b.messages();
                continue;
            }
            removed += b.messages() - kept.size();
            Jdbc.update(c, "UPDATE mam_bucket SET first_id = ?, messages = ?, entries = ? WHERE last_id = ?",
                    kept.get(0).id(), kept.size(), MamBucket.seal(b.owner(), kept, crypto), b.lastId());
        }
        return removed;
    }
}
