package im.tongyou.server.feature.muc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/**
 * An occupant of a room (XEP-0045 §4.1): one nickname and role, held by one user through one or more
 * client sessions ("multi-session nick", §7.2.9: the service SHOULD let a user enter again under
 * the nickname it already uses, from another resource). Guarded by its room's lock.
 */
final class Occupant {

    private final JID bareJid;
    private final Map<JID, Presence> sessions = new LinkedHashMap<>();
    private String nick;
    private Role role;
    private JID primary;

    Occupant(String nick, JID bareJid, Role role) {
        this.nick = nick;
        this.bareJid = bareJid;
        this.role = role;
    }

    String nick() {
        return nick;
    }

    void nick(String newNick) {
        this.nick = newNick;
    }

    /** The user's bare JID: affiliations are kept by bare JID (§5.2). */
    JID bareJid() {
        return bareJid;
    }

    Role role() {
        return role;
    }

    void role(Role newRole) {
        this.role = newRole;
    }

    /** The user's sessions in the room, in the order they entered. */
    List<JID> sessions() {
        return new ArrayList<>(sessions.keySet());
    }

    boolean hasSession(JID fullJid) {
        return sessions.containsKey(fullJid);
    }

    /**
     * Records a session's latest in-room presence; the occupant's presence as others see it is the
     * one most recently sent from any of its sessions.
     */
    void presence(JID fullJid, Presence presence) {
        sessions.put(fullJid, presence);
        primary = fullJid;
    }

    /** Removes a session; returns whether the occupant has no session left. */
    boolean removeSession(JID fullJid) {
        sessions.remove(fullJid);
        if (fullJid.equals(primary)) {
            primary = null;
            for (JID remaining : sessions.keySet()) {
                primary = remaining;
            }
        }
        return sessions.isEmpty();
    }

    /** The session whose presence others see, and whose full JID they may see. */
    JID primaryJid() {
        return primary;
    }

    /** The occupant's presence as broadcast (without any MUC extension). */
    Presence presence() {
        return primary == null ? new Presence() : sessions.get(primary);
    }
}
