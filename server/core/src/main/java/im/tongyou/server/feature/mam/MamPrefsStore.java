package im.tongyou.server.feature.mam;

import im.tongyou.server.storage.Jdbc;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.xmpp.packet.JID;

/**
 * Users' archiving preferences (XEP-0441) and chosen retention (xeps/tongyou-mam-retention.md) in
 * {@code mam_prefs} and {@code mam_prefs_jid}; the only code that touches them. Preferences are read
 * for every archived message, so they are cached (a bounded cache, cleared when full).
 */
final class MamPrefsStore {

    private static final int CACHE_LIMIT = 50_000;

    /** What a user chose; {@code null} fields mean the server's defaults. */
    record Settings(MamPrefs.Mode mode, Integer retentionDays, List<JID> always, List<JID> never) {
    }

    private final Jdbc jdbc;
    private final ConcurrentHashMap<String, Settings> cache = new ConcurrentHashMap<>();

    MamPrefsStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** The user's settings (cached). */
    Settings settings(String username) {
        Settings cached = cache.get(username);
        if (cached != null) {
            return cached;
        }
        Settings loaded = load(username);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(username, loaded);
        return loaded;
    }

    private Settings load(String username) {
        Object[] row = jdbc.queryOne("SELECT default_mode, retention_days FROM mam_prefs WHERE username = ?",
                rs -> new Object[] {rs.getString(1), rs.getObject(2) == null ? null : rs.getInt(2)}, username)
                .orElse(new Object[] {null, null});
        List<JID> always = new ArrayList<>();
        List<JID> never = new ArrayList<>();
        jdbc.query("SELECT jid, always FROM mam_prefs_jid WHERE username = ?", rs -> {
            (rs.getBoolean(2) ? always : never).add(new JID(rs.getString(1)));
            return null;
        }, username);
        return new Settings(row[0] == null ? null : MamPrefs.Mode.parse((String) row[0]), (Integer) row[1], always, never);
    }

    /** Replaces the user's preferences (XEP-0441 §2.1: a set replaces the lists). */
    void setPrefs(String username, MamPrefs prefs) {
        jdbc.inTransaction(c -> {
            upsert(c, username);
            Jdbc.update(c, "UPDATE mam_prefs SET default_mode = ? WHERE username = ?", prefs.defaultMode().xml(), username);
            Jdbc.update(c, "DELETE FROM mam_prefs_jid WHERE username = ?", username);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mam_prefs_jid (username, jid, always) VALUES (?, ?, ?)")) {
                for (JID jid : prefs.always()) {
                    add(ps, username, jid, true);
                }
                for (JID jid : prefs.never()) {
                    add(ps, username, jid, false);
                }
                ps.executeBatch();
            }
            return null;
        });
        cache.remove(username);
    }

    /** Sets the user's retention in days, or the server's with {@code null}. */
    void setRetentionDays(String username, Integer days) {
        jdbc.inTransaction(c -> {
            upsert(c, username);
            Jdbc.update(c, "UPDATE mam_prefs SET retention_days = ? WHERE username = ?", days, username);
            return null;
        });
        cache.remove(username);
    }

    /** The users who chose a retention of their own, with their days. */
    Map<String, Integer> customRetention() {
        Map<String, Integer> users = new LinkedHashMap<>();
        jdbc.query("SELECT username, retention_days FROM mam_prefs WHERE retention_days IS NOT NULL ORDER BY username",
                rs -> users.put(rs.getString(1), rs.getInt(2)));
        return users;
    }

    /**
     * Replaces the JID (bare, or full with that bare part) in other users' always and never lists by
     * the tombstone (AC-13 (d)); returns the users whose lists changed.
     */
    List<String> readdress(JID bare, JID tombstone) {
        List<String> holders = jdbc.query("SELECT DISTINCT username FROM mam_prefs_jid WHERE jid = ? OR jid LIKE ?",
                rs -> rs.getString(1), bare.toBareJID(), bare.toBareJID() + "/%");
        for (String holder : holders) {
            jdbc.inTransaction(c -> {
                List<Object[]> rows = Jdbc.query(c, "SELECT jid, always FROM mam_prefs_jid WHERE username = ?",
                        rs -> new Object[] {rs.getString(1), rs.getBoolean(2)}, holder);
                for (Object[] r : rows) {
                    String jid = (String) r[0];
                    if (jid.equals(bare.toBareJID()) || jid.startsWith(bare.toBareJID() + "/")) {
                        Jdbc.update(c, "DELETE FROM mam_prefs_jid WHERE username = ? AND jid = ?", holder, jid);
                        if (Jdbc.query(c, "SELECT 1 FROM mam_prefs_jid WHERE username = ? AND jid = ?", rs -> 1, holder,
                                tombstone.toBareJID()).isEmpty()) {
                            Jdbc.update(c, "INSERT INTO mam_prefs_jid (username, jid, always) VALUES (?, ?, ?)",
                                    holder, tombstone.toBareJID(), r[1]);
                        }
                    }
                }
                return null;
            });
            cache.remove(holder);
        }
        return holders;
    }

    /** Deletes the user's settings. */
    void erase(String username) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM mam_prefs_jid WHERE username = ?", username);
            Jdbc.update(c, "DELETE FROM mam_prefs WHERE username = ?", username);
            return null;
        });
        cache.remove(username);
    }

    private static void upsert(java.sql.Connection c, String username) throws java.sql.SQLException {
        if (Jdbc.query(c, "SELECT 1 FROM mam_prefs WHERE username = ?", rs -> 1, username).isEmpty()) {
            Jdbc.update(c, "INSERT INTO mam_prefs (username) VALUES (?)", username);
        }
    }

    private static void add(PreparedStatement ps, String username, JID jid, boolean always) throws java.sql.SQLException {
        ps.setString(1, username);
        ps.setString(2, jid.toString());
        ps.setBoolean(3, always);
        ps.addBatch();
    }
}
