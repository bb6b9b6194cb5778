package im.tongyou.server.feature.muc;

import im.tongyou.server.storage.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The only code touching the tables {@code muc_room} and {@code muc_affiliation}: configuration,
 * subject and affiliations of persistent rooms (XEP-0045 §10.1.3 "muc#roomconfig_persistentroom").
 */
final class MucStore {

    /** A persistent room as stored. */
    record StoredRoom(String id, RoomConfig config, Room.Subject subject, Instant createdAt,
                      List<AffiliationEntry> affiliations) {
    }

    private static final String ROOM_COLUMNS = "name, description, lang, public_room, members_only, moderated,"
            + " non_anonymous, password, max_users, change_subject, allow_invites, allow_pm, presence_broadcast,"
            + " get_member_list, history";

    private final Jdbc jdbc;

    MucStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Every persistent room with its affiliations. */
    List<StoredRoom> loadAll() {
        Map<String, List<AffiliationEntry>> affiliations = new LinkedHashMap<>();
        jdbc.query("SELECT room, jid, affiliation, nick, reason, granted_at FROM muc_affiliation", row -> {
            affiliations.computeIfAbsent(row.getString("room"), k -> new ArrayList<>()).add(entry(row));
            return null;
        });
        return jdbc.query("SELECT room, " + ROOM_COLUMNS + ", subject, subject_nick, subject_at, created_at FROM muc_room",
                row -> new StoredRoom(row.getString("room"), config(row),
                        new Room.Subject(row.getString("subject"), row.getString("subject_nick"), instant(row, "subject_at")),
                        instant(row, "created_at"), affiliations.getOrDefault(row.getString("room"), List.of())));
    }

    /** Stores a room that became persistent, with its current subject and affiliations. */
    void insertRoom(String id, RoomConfig c, Room.Subject s, Instant createdAt, Collection<AffiliationEntry> all) {
        jdbc.inTransaction(conn -> {
            Jdbc.update(conn, "DELETE FROM muc_room WHERE room = ?", id);
            Jdbc.update(conn, "INSERT INTO muc_room (room, " + ROOM_COLUMNS + ", subject, subject_nick, subject_at,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    params(id, c, s.text(), s.nick(), s.at(), createdAt));
            for (AffiliationEntry e : all) {
                insertAffiliation(conn, id, e);
            }
            return null;
        });
    }

    void updateConfig(String id, RoomConfig c) {
        jdbc.update("UPDATE muc_room SET name = ?, description = ?, lang = ?, public_room = ?, members_only = ?,"
                + " moderated = ?, non_anonymous = ?, password = ?, max_users = ?, change_subject = ?, allow_invites = ?,"
                + " allow_pm = ?, presence_broadcast = ?, get_member_list = ?, history = ? WHERE room = ?",
                configParams(c, id));
    }

    void updateSubject(String id, Room.Subject s) {
        jdbc.update("UPDATE muc_room SET subject = ?, subject_nick = ?, subject_at = ? WHERE room = ?",
                s.text(), s.nick(), s.at(), id);
    }

    /** Sets one affiliation of a stored room; none removes it. */
    void saveAffiliation(String id, String jid, AffiliationEntry e) {
        jdbc.inTransaction(conn -> {
            Jdbc.update(conn, "DELETE FROM muc_affiliation WHERE room = ? AND jid = ?", id, jid);
            if (e != null && e.affiliation() != Affiliation.NONE) {
                insertAffiliation(conn, id, e);
            }
            return null;
        });
    }

    void deleteRoom(String id) {
        jdbc.update("DELETE FROM muc_room WHERE room = ?", id);
    }

    /** The affiliations of one bare JID in every stored room, for a data export. */
    List<Map<String, Object>> affiliationsOf(String jid) {
        return jdbc.query("SELECT room, affiliation, nick, reason, granted_at FROM muc_affiliation WHERE jid = ?"
                + " ORDER BY room", row -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("room", row.getString("room"));
                    m.put("affiliation", row.getString("affiliation"));
                    m.put("nick", row.getString("nick"));
                    m.put("reason", row.getString("reason"));
                    m.put("granted-at", instant(row, "granted_at").toString());
                    return m;
                }, jid);
    }

    /** Removes every affiliation row of one bare JID (the in-memory rooms are changed by the caller). */
    void deleteAffiliationsOf(String jid) {
        jdbc.update("DELETE FROM muc_affiliation WHERE jid = ?", jid);
    }

    private static void insertAffiliation(Connection conn, String id, AffiliationEntry e) throws SQLException {
        Jdbc.update(conn, "INSERT INTO muc_affiliation (room, jid, affiliation, nick, reason, granted_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", id, e.jid(), e.affiliation().value(), e.nick(), e.reason(), e.grantedAt());
    }

    /** The room's ID, its configuration columns in {@link #ROOM_COLUMNS} order, then {@code tail}. */
    private static Object[] params(String id, RoomConfig c, Object... tail) {
        List<Object> all = new ArrayList<>();
        all.add(id);
        all.addAll(configValues(c));
        all.addAll(Arrays.asList(tail));
        return all.toArray();
    }

    /** The configuration columns in {@link #ROOM_COLUMNS} order, then the room's ID (for a WHERE). */
    private static Object[] configParams(RoomConfig c, String id) {
        List<Object> all = new ArrayList<>(configValues(c));
        all.add(id);
        return all.toArray();
    }

    private static List<Object> configValues(RoomConfig c) {
        return Arrays.asList(c.name(), c.description(), c.lang(), c.publicRoom(), c.membersOnly(),
                c.moderated(), c.nonAnonymous(), c.password(), c.maxUsers(), c.changeSubject(), c.allowInvites(),
                c.allowPm(), roles(c.presenceBroadcast()), roles(c.getMemberList()), c.history());
    }

    private static RoomConfig config(ResultSet row) throws SQLException {
        return new RoomConfig(row.getString("name"), row.getString("description"), row.getString("lang"), true,
                row.getBoolean("public_room"), row.getBoolean("members_only"), row.getBoolean("moderated"),
                row.getBoolean("non_anonymous"), row.getString("password"), row.getInt("max_users"),
                row.getBoolean("change_subject"), row.getBoolean("allow_invites"), row.getString("allow_pm"),
                roles(row.getString("presence_broadcast")), roles(row.getString("get_member_list")), row.getInt("history"));
    }

    private static AffiliationEntry entry(ResultSet row) throws SQLException {
        return new AffiliationEntry(row.getString("jid"), Affiliation.parse(row.getString("affiliation")),
                row.getString("nick"), row.getString("reason"), instant(row, "granted_at"));
    }

    private static String roles(Set<Role> roles) {
        return roles.stream().sorted().map(Role::value).collect(Collectors.joining(","));
    }

    private static Set<Role> roles(String value) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : value.split(",")) {
            Role r = Role.parse(part.trim());
            if (r != null) {
                roles.add(r);
            }
        }
        return roles;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime t = row.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
