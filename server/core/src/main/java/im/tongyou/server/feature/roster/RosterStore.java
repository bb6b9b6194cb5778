package im.tongyou.server.feature.roster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.api.roster.RosterItem;
import im.tongyou.api.roster.Subscription;
import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.xmpp.packet.JID;

/**
 * The only code that touches the roster tables: items (RFC 6121 §2.1.2), roster versions with
 * tombstones of removed items (§2.6), and inbound subscription requests awaiting an answer
 * (§3.1.3). Callers serialise the writes of one user (see {@link UserLocks}); every write that
 * changes an item bumps the user's roster version in the same transaction.
 */
final class RosterStore {

    /** Removed items remembered per user for removal pushes; older ones force a full roster. */
    static final int MAX_TOMBSTONES = 500;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String ITEM_COLUMNS = "i.contact, i.name, i.subscription, i.pending_out, i.approved, "
            + "i.groups_json, p.contact";
    private static final String ITEM_FROM = " FROM roster_item i LEFT JOIN roster_pending p"
            + " ON p.username = i.username AND p.contact = i.contact";

    /** A change since some roster version: an item added or modified, or a contact removed. */
    record Change(long version, RosterItem item, JID removed) {
    }

    /** An inbound subscription request awaiting the user's answer; {@code stanza} is encrypted. */
    record Pending(JID contact, Instant receivedAt, byte[] stanza) {
    }

    private final Jdbc jdbc;

    RosterStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    List<RosterItem> items(String username) {
        return jdbc.query("SELECT " + ITEM_COLUMNS + ITEM_FROM + " WHERE i.username = ? ORDER BY i.contact",
                RosterStore::item, username);
    }

    Optional<RosterItem> item(String username, JID contact) {
        return jdbc.queryOne("SELECT " + ITEM_COLUMNS + ITEM_FROM + " WHERE i.username = ? AND i.contact = ?",
                RosterStore::item, username, contact.toBareJID());
    }

    /** The state of a contact, on the roster or not (Appendix A.1: not on the roster is "None"). */
    SubscriptionState state(String username, JID contact) {
        return item(username, contact).map(SubscriptionState::of).orElseGet(() -> isPending(username, contact)
                ? new SubscriptionState(Subscription.NONE, false, true, false) : SubscriptionState.NONE);
    }

    int count(String username) {
        return jdbc.queryOne("SELECT COUNT(*) FROM roster_item WHERE username = ?", rs -> rs.getInt(1), username)
                .orElse(0);
    }

    /** The current roster version; 0 before the first change. */
    long version(String username) {
        return jdbc.queryOne("SELECT version FROM roster_version WHERE username = ?", rs -> rs.getLong(1), username)
                .orElse(0L);
    }

    /** Adds or replaces an item (the subscription state included) and returns the new roster version. */
    long save(String username, RosterItem item) {
        String contact = item.jid().toBareJID();
        String groups = groupsJson(item);
        return jdbc.inTransaction(c -> {
            long version = bump(c, username);
            int updated = Jdbc.update(c, "UPDATE roster_item SET name = ?, subscription = ?, pending_out = ?, "
                            + "approved = ?, groups_json = ?, version = ? WHERE username = ? AND contact = ?",
                    item.name(), item.subscription().xmlValue(), item.pendingOut(), item.approved(), groups, version,
                    username, contact);
            if (updated == 0) {
                Jdbc.update(c, "INSERT INTO roster_item (username, contact, name, subscription, pending_out, approved, "
                                + "groups_json, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", username, contact, item.name(),
                        item.subscription().xmlValue(), item.pendingOut(), item.approved(), groups, version);
            }
            Jdbc.update(c, "DELETE FROM roster_removed WHERE username = ? AND contact = ?", username, contact);
            return version;
        });
    }

    /** Removes an item, leaving a tombstone; returns the new roster version, or -1 when it was absent. */
    long delete(String username, JID contact) {
        String bare = contact.toBareJID();
        return jdbc.inTransaction(c -> {
            if (Jdbc.update(c, "DELETE FROM roster_item WHERE username = ? AND contact = ?", username, bare) == 0) {
                return -1L;
            }
            long version = bump(c, username);
            Jdbc.update(c, "INSERT INTO roster_removed (username, contact, version) VALUES (?, ?, ?)",
                    username, bare, version);
            prune(c, username);
            return version;
        });
    }

    /**
     * The changes after a roster version in version order, or empty when they cannot be told (an
     * unknown version, or removals already forgotten): then the client needs the whole roster.
     */
    Optional<List<Change>> changesSince(String username, long since) {
        long[] row = jdbc.queryOne("SELECT version, floor FROM roster_version WHERE username = ?",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, username).orElse(new long[] {0, 0});
        if (since > row[0] || since < row[1] || since < 0) {
            return Optional.empty();
        }
        List<Change> changes = new ArrayList<>(jdbc.query("SELECT i.version, " + ITEM_COLUMNS + ITEM_FROM
                        + " WHERE i.username = ? AND i.version > ?",
                rs -> new Change(rs.getLong(1), item(rs, 2), null), username, since));
        changes.addAll(jdbc.query("SELECT version, contact FROM roster_removed WHERE username = ? AND version > ?",
                rs -> new Change(rs.getLong(1), null, new JID(rs.getString(2))), username, since));
        changes.sort(Comparator.comparingLong(Change::version));
        return Optional.of(changes);
    }

    /** Records an inbound request unless one from the contact is already waiting; returns whether it was new. */
    boolean addPending(String username, JID contact, Instant receivedAt, byte[] stanza) {
        return jdbc.inTransaction(c -> {
            if (!Jdbc.query(c, "SELECT 1 FROM roster_pending WHERE username = ? AND contact = ?", rs -> 1,
                    username, contact.toBareJID()).isEmpty()) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO roster_pending (username, contact, received_at, stanza) VALUES (?, ?, ?, ?)",
                    username, contact.toBareJID(), receivedAt, stanza);
            return true;
        });
    }

    boolean removePending(String username, JID contact) {
        return jdbc.update("DELETE FROM roster_pending WHERE username = ? AND contact = ?", username,
                contact.toBareJID()) > 0;
    }

    boolean isPending(String username, JID contact) {
        return !jdbc.query("SELECT 1 FROM roster_pending WHERE username = ? AND contact = ?", rs -> 1, username,
                contact.toBareJID()).isEmpty();
    }

    List<Pending> pending(String username) {
        return jdbc.query("SELECT contact, received_at, stanza FROM roster_pending WHERE username = ? "
                        + "ORDER BY received_at, contact",
                rs -> new Pending(new JID(rs.getString(1)), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getBytes(3)), username);
    }

    int pendingCount(String username) {
        return jdbc.queryOne("SELECT COUNT(*) FROM roster_pending WHERE username = ?", rs -> rs.getInt(1), username)
                .orElse(0);
    }

    /** The users whose roster holds the contact or who have a request from it waiting. */
    List<String> usersRelatedTo(JID contact) {
        String bare = contact.toBareJID();
        LinkedHashSet<String> users = new LinkedHashSet<>(
                jdbc.query("SELECT username FROM roster_item WHERE contact = ?", rs -> rs.getString(1), bare));
        users.addAll(jdbc.query("SELECT username FROM roster_pending WHERE contact = ?", rs -> rs.getString(1), bare));
        return new ArrayList<>(users);
    }

    /**
     * Forgets the removal records of a contact on every roster (a cancelled address must not stay
     * in any table): those rosters' versions before now can no longer be told apart, so a client
     * asking with one gets the whole roster (RFC 6121 §2.6.3).
     */
    void forgetRemovals(JID contact) {
        String bare = contact.toBareJID();
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE roster_version SET floor = version WHERE username IN "
                    + "(SELECT username FROM roster_removed WHERE contact = ?)", bare);
            Jdbc.update(c, "DELETE FROM roster_removed WHERE contact = ?", bare);
            return null;
        });
    }

    /** When the oldest waiting subscription request came, for the retention report. */
    java.util.Optional<Instant> oldestPending() {
        return jdbc.queryOne("SELECT MIN(received_at) FROM roster_pending", rs -> rs.getObject(1, OffsetDateTime.class))
                .map(OffsetDateTime::toInstant);
    }

    /** Deletes the user's roster, versions and requests, and the requests the user sent to others. */
    void erase(String username, JID bareJid) {
        jdbc.inTransaction(c -> {
            for (String table : List.of("roster_item", "roster_removed", "roster_version", "roster_pending")) {
                Jdbc.update(c, "DELETE FROM " + table + " WHERE username = ?", username);
            }
            Jdbc.update(c, "DELETE FROM roster_pending WHERE contact = ?", bareJid.toBareJID());
            return null;
        });
    }

    private static long bump(Connection c, String username) throws SQLException {
        if (Jdbc.update(c, "UPDATE roster_version SET version = version + 1 WHERE username = ?", username) == 0) {
            Jdbc.update(c, "INSERT INTO roster_version (username, version, floor) VALUES (?, 1, 0)", username);
        }
        return Jdbc.query(c, "SELECT version FROM roster_version WHERE username = ?", rs -> rs.getLong(1), username)
                .get(0);
    }

    /** Keeps the newest {@link #MAX_TOMBSTONES} tombstones; clients older than the rest get a full roster. */
    private static void prune(Connection c, String username) throws SQLException {
        List<Long> versions = Jdbc.query(c, "SELECT version FROM roster_removed WHERE username = ? ORDER BY version",
                rs -> rs.getLong(1), username);
        if (versions.size() <= MAX_TOMBSTONES) {
            return;
        }
        long cutoff = versions.get(versions.size() - MAX_TOMBSTONES - 1);
        Jdbc.update(c, "DELETE FROM roster_removed WHERE username = ? AND version <= ?", username, cutoff);
        Jdbc.update(c, "UPDATE roster_version SET floor = ? WHERE username = ?", cutoff, username);
    }

    private static RosterItem item(ResultSet rs) throws SQLException {
        return item(rs, 1);
    }

    private static RosterItem item(ResultSet rs, int first) throws SQLException {
        return new RosterItem(new JID(rs.getString(first)), rs.getString(first + 1),
                Subscription.valueOf(rs.getString(first + 2).toUpperCase(Locale.ROOT)), rs.getBoolean(first + 3),
                rs.getString(first + 6) != null, rs.getBoolean(first + 4), new LinkedHashSet<>(groups(rs.getString(first + 5))));
    }

    private static String groupsJson(RosterItem item) {
        try {
            return JSON.writeValueAsString(item.groups().stream().sorted().toList());
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot write roster groups as JSON", e);
        }
    }

    private static List<String> groups(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StorageException("roster groups in the database are not a JSON list", e);
        }
    }
}
