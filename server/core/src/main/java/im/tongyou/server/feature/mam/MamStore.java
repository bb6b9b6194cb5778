package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.feature.Pseudonyms;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.storage.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * The archived messages of XEP-0313 in {@code mam_message}, each stanza encrypted under its
 * owner's data key. Paging reads ids only, from the indexes {@code (owner, with_bare, id)} and
 * {@code (owner, id)}, and then fetches the page's rows by primary key, so that the newest page of a
 * conversation costs the same in an archive of any size. The only code that touches the table;
 * preferences are in {@link MamPrefsStore}.
 */
final class MamStore {

    private static final Logger log = LoggerFactory.getLogger(MamStore.class);

    /** A row to insert. */
    record Row(long id, String owner, String withBare, String withResource, String sid, boolean outgoing,
               byte[] sealed) {
    }

    /**
     * An archived message as read back.
     *
     * @param message the stanza, or {@code null} when it can no longer be decrypted (key destroyed)
     */
    record Stored(long id, String sid, boolean outgoing, Message message) {
    }

    /**
     * What a query selects, before paging: one archive, optionally one conversation (a bare JID, or
     * a full JID when {@code withResource} is set), an inclusive id range, and optionally a list of ids.
     */
    record Selection(String owner, String withBare, String withResource, long minId, long maxId, List<Long> ids) {
        Selection {
            ids = ids == null ? null : List.copyOf(ids);
        }

        static Selection all(String owner) {
            return new Selection(owner, null, null, 0, Long.MAX_VALUE, null);
        }
    }

    private final Jdbc jdbc;
    private final Crypto crypto;
    private final MamUids uids;

    MamStore(DataSource dataSource, Crypto crypto) {
        this.jdbc = new Jdbc(dataSource);
        this.crypto = crypto;
        this.uids = new MamUids(crypto);
    }

    /** The UIDs of this archive's messages. */
    MamUids uids() {
        return uids;
    }

    /** Inserts rows on a connection of a running transaction (the group commit's). */
    static void insert(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mam_message"
                + " (id, owner, with_bare, with_resource, sid, outgoing, stanza) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
                ps.setLong(1, r.id());
                ps.setString(2, r.owner());
                ps.setString(3, r.withBare());
                ps.setString(4, r.withResource());
                ps.setString(5, r.sid());
                ps.setBoolean(6, r.outgoing());
                ps.setBytes(7, r.sealed());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The highest id stored, or 0. */
    long maxId() {
        return jdbc.queryOne("SELECT MAX(id) FROM mam_message", rs -> rs.getLong(1)).orElse(0L);
    }

    /**
     * The ids of the given UIDs in the owner's archive; UIDs not there are missing from the map. A
     * UID of {@link MamUids} is decoded and its row checked by primary key; an older, random one is
     * looked for among the owner's rows (no index on UIDs: see {@link MamUids}).
     */
    Map<String, Long> idsOf(String owner, Collection<String> sids) {
        Map<String, Long> found = new HashMap<>();
        Map<Long, String> decoded = new HashMap<>();
        List<String> legacy = new ArrayList<>();
        for (String sid : sids) {
            Long id = uids.idOf(sid);
            if (id != null) {
                decoded.put(id, sid);
            } else if (sid.length() < MamUids.LENGTH) {
                legacy.add(sid); // only the random UIDs of old were shorter; anything else is unknown
            }
        }
        List<Long> ids = new ArrayList<>(decoded.keySet());
        for (int from = 0; from < ids.size(); from += 100) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 100));
            List<Object> params = new ArrayList<>();
            params.add(owner);
            params.addAll(chunk);
            jdbc.query("SELECT id FROM mam_message WHERE owner = ? AND id IN (" + marks(chunk.size()) + ")",
                    rs -> found.put(decoded.get(rs.getLong(1)), rs.getLong(1)), params.toArray());
        }
        for (int from = 0; from < legacy.size(); from += 100) {
            List<String> chunk = legacy.subList(from, Math.min(legacy.size(), from + 100));
            List<Object> params = new ArrayList<>();
            params.add(owner);
            params.addAll(chunk);
            jdbc.query("SELECT sid, id FROM mam_message WHERE owner = ? AND sid IN (" + marks(chunk.size()) + ")",
                    rs -> found.put(rs.getString(1), rs.getLong(2)), params.toArray());
        }
        return found;
    }

    /**
     * The ids of one page, from the index only: those of the selection strictly between the
     * cursors (each may be {@code null}), oldest first or newest first, at most {@code limit}.
     */
    List<Long> pageIds(Selection s, Long afterId, Long beforeId, boolean newestFirst, int limit) {
        List<Object> params = new ArrayList<>();
        // ORDER BY names the whole index key (owner and with_bare are constants here): H2 then reads the
        // index in order ("index sorted") as PostgreSQL does, instead of sorting the conversation.
        String direction = newestFirst ? " DESC" : "";
        String order = s.withBare() != null ? "owner" + direction + ", with_bare" + direction + ", id" + direction
                : "owner" + direction + ", id" + direction;
        String sql = "SELECT id FROM mam_message" + where(s, afterId, beforeId, params)
                + " ORDER BY " + order + " FETCH FIRST " + limit + " ROWS ONLY";
        return jdbc.query(sql, rs -> rs.getLong(1), params.toArray());
    }

    /** The SQL of {@link #pageIds} for a conversation, for EXPLAIN in tests and the benchmark. */
    static String conversationPageSql(int limit) {
        return "SELECT id FROM mam_message WHERE owner = ? AND with_bare = ? AND id >= ? AND id <= ?"
                + " ORDER BY owner DESC, with_bare DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY";
    }

    /**
     * How many messages the selection has before {@code beforeId} (all when {@code null}), counting
     * at most {@code cap + 1} index entries: a result above {@code cap} means "more than cap".
     */
    long countUpTo(Selection s, Long beforeId, int cap) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM (SELECT id FROM mam_message" + where(s, null, beforeId, params)
                + " FETCH FIRST " + (cap + 1) + " ROWS ONLY) capped";
        return jdbc.queryOne(sql, rs -> rs.getLong(1), params.toArray()).orElse(0L);
    }

    /** The rows of the given ids in the owner's archive, oldest first, decrypted. */
    List<Stored> load(String owner, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(owner);
        params.addAll(ids);
        return jdbc.query("SELECT id, sid, outgoing, stanza FROM mam_message WHERE owner = ? AND id IN ("
                        + marks(ids.size()) + ") ORDER BY id",
                rs -> new Stored(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                        open(owner, rs.getLong(1), rs.getBytes(4))), params.toArray());
    }

    /** The oldest or newest message of an archive (id and UID), for the metadata query. */
    Stored edge(String owner, boolean newest) {
        return jdbc.queryOne("SELECT id, sid, outgoing FROM mam_message WHERE owner = ? ORDER BY id "
                        + (newest ? "DESC" : "ASC") + " FETCH FIRST 1 ROWS ONLY",
                rs -> new Stored(rs.getLong(1), rs.getString(2), rs.getBoolean(3), null), owner).orElse(null);
    }

    /** The oldest message of all archives (id only), or {@code null}: retention reports its age. */
    Stored oldest() {
        List<Long> min = jdbc.query("SELECT MIN(id) FROM mam_message", rs -> {
            long id = rs.getLong(1);
            return rs.wasNull() ? -1L : id;
        });
        return min.isEmpty() || min.get(0) < 0 ? null : new Stored(min.get(0), null, false, null);
    }

    private Message open(String owner, long id, byte[] sealed) {
        try {
            return new Message(StoredXml.parse(crypto.decrypt(owner, sealed)), true);
        } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
            log.warn("archived message {} cannot be read any more: {}", id, e.getMessage());
            return null;
        }
    }

    /** Deletes the owner's messages with an id below {@code beforeId}; returns how many. */
    int purge(String owner, long beforeId) {
        return jdbc.update("DELETE FROM mam_message WHERE owner = ? AND id < ?", owner, beforeId);
    }

    /**
     * Deletes every archive's messages with an id below {@code beforeId}, in transactions of at most
     * {@code chunk} rows so that a large purge does not hold one huge transaction; returns how many.
     */
    long purgeAll(long beforeId, int chunk) {
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.update("DELETE FROM mam_message WHERE id IN (SELECT id FROM mam_message WHERE id < ?"
                    + " ORDER BY id FETCH FIRST " + chunk + " ROWS ONLY)", beforeId);
            total += deleted;
        } while (deleted == chunk);
        return total;
    }

    /** The owner's whole archive in order, a page at a time (export). */
    List<Stored> after(String owner, long afterId, int limit) {
        return load(owner, pageIds(Selection.all(owner), afterId, null, false, limit));
    }

    /**
     * Re-addresses other owners' copies of conversations with {@code bare} to the tombstone (privacy
     * requirements decision 3, AC-13 (d)): the conversation columns, and every address of the JID
     * inside the stored stanza, which is encrypted again under its owner's key. A copy that can no
     * longer be decrypted keeps its (unreadable) stanza. Returns how many copies changed.
     */
    int readdress(JID bare, JID tombstone) {
        int changed = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<Object[]> page = jdbc.query("SELECT id, owner, stanza FROM mam_message WHERE with_bare = ? AND id > ? "
                    + "ORDER BY id FETCH FIRST 500 ROWS ONLY", rs -> new Object[] {rs.getLong(1), rs.getString(2),
                    rs.getBytes(3)}, bare.toBareJID(), after);
            for (Object[] row : page) {
                long id = (Long) row[0];
                String owner = (String) row[1];
                byte[] sealed = (byte[]) row[2];
                try {
                    org.dom4j.Element stanza = StoredXml.parse(crypto.decrypt(owner, sealed));
                    Pseudonyms.replace(stanza, bare, tombstone);
                    sealed = crypto.encrypt(owner, StoredXml.toBytes(stanza));
                } catch (Crypto.KeyDestroyedException | IllegalArgumentException e) {
                    log.debug("archived message {} cannot be read any more; its columns are re-addressed only", id);
                }
                changed += jdbc.update("UPDATE mam_message SET with_bare = ?, with_resource = '', stanza = ? WHERE id = ?",
                        tombstone.toBareJID(), sealed, id);
                after = id;
            }
            if (page.size() < 500) {
                return changed;
            }
        }
    }

    /**
     * A message to import into an archive (XEP-0227 §4.8), archived at {@code stamp}.
     *
     * @param sid the archive UID it had, kept
     */
    record Imported(Instant stamp, String sid, boolean outgoing, String withBare, String withResource,
                    Message message) {
    }

    /**
     * Imports messages into the owner's archive at their original times, in one transaction: each
     * gets the next free order key of its millisecond (the live archive writes only at the present
     * time, so the keys of the past are free).
     */
    void importArchive(String owner, List<Imported> messages) {
        jdbc.inTransaction(c -> {
            List<Row> rows = new ArrayList<>();
            Map<Long, Long> lastOfMillis = new HashMap<>();
            for (Imported m : messages) {
                long millis = m.stamp().toEpochMilli();
                long id = lastOfMillis.containsKey(millis) ? lastOfMillis.get(millis) + 1
                        : Jdbc.query(c, "SELECT MAX(id) FROM mam_message WHERE id BETWEEN ? AND ?", rs -> {
                            long max = rs.getLong(1);
                            return rs.wasNull() ? MamIds.firstIdAt(millis) : max + 1;
                        }, MamIds.firstIdAt(millis), MamIds.lastIdAt(millis)).get(0);
                lastOfMillis.put(millis, id);
                rows.add(new Row(id, owner, m.withBare(), m.withResource(), m.sid(), m.outgoing(),
                        crypto.encrypt(owner, StoredXml.toBytes(m.message().getElement()))));
            }
            insert(c, rows);
            return null;
        });
    }

    /** Deletes the owner's whole archive. */
    int erase(String owner) {
        return jdbc.update("DELETE FROM mam_message WHERE owner = ?", owner);
    }

    private static String where(Selection s, Long afterId, Long beforeId, List<Object> params) {
        StringBuilder sql = new StringBuilder(" WHERE owner = ?");
        params.add(s.owner());
        if (s.withBare() != null) {
            sql.append(" AND with_bare = ?");
            params.add(s.withBare());
        }
        if (s.withResource() != null) {
            sql.append(" AND with_resource = ?");
            params.add(s.withResource());
        }
        sql.append(" AND id >= ? AND id <= ?");
        params.add(s.minId());
        params.add(s.maxId());
        if (afterId != null) {
            sql.append(" AND id > ?");
            params.add(afterId);
        }
        if (beforeId != null) {
            sql.append(" AND id < ?");
            params.add(beforeId);
        }
        if (s.ids() != null) {
            sql.append(" AND id IN (").append(s.ids().isEmpty() ? "NULL" : marks(s.ids().size())).append(')');
            params.addAll(s.ids());
        }
        return sql.toString();
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
