package im.tongyou.server.feature.muc;

import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.xmpp.packet.JID;

/**
 * One chat room's state (XEP-0045): configuration, affiliation lists, occupants, subject and
 * history. Every read and change happens with {@link #lock} held; stanzas it produces go to its
 * {@link #outbox} and are routed after the lock is released.
 */
final class Room {

    /** The current subject (§8.1) and who set it. */
    record Subject(String text, String nick, Instant at) {
    }

    private static final int MAX_FORWARDED_IQS = 1024;

    final ReentrantLock lock = new ReentrantLock();
    final Outbox outbox;
    private final JID jid;
    private final Instant createdAt;
    private final Map<String, AffiliationEntry> affiliations = new HashMap<>();
    private final Map<String, Occupant> occupants = new LinkedHashMap<>();
    private final Map<JID, Occupant> bySession = new HashMap<>();
    private final RoomHistory history;
    /** IQs forwarded between occupants (§17.4), so that only real answers go back, to the asking session. */
    private final Map<String, JID> forwardedIqs = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JID> eldest) {
            return size() > MAX_FORWARDED_IQS;
        }
    };
    // Volatile: service discovery reads these without the lock.
    private volatile RoomConfig config;
    private volatile boolean locked;
    private volatile boolean destroyed;
    private Subject subject = new Subject("", null, null);

    Room(JID jid, RoomConfig config, Instant createdAt, boolean locked, Outbox outbox) {
        this.jid = jid;
        this.config = config;
        this.createdAt = createdAt;
        this.locked = locked;
        this.outbox = outbox;
        this.history = new RoomHistory(config.history());
    }

    JID jid() {
        return jid;
    }

    /** The room ID, the local part of its JID. */
    String id() {
        return jid.getNode();
    }

    JID occupantJid(String nick) {
        return new JID(jid.getNode(), jid.getDomain(), nick, true);
    }

    Instant createdAt() {
        return createdAt;
    }

    RoomConfig config() {
        return config;
    }

    void config(RoomConfig newConfig) {
        this.config = newConfig;
        history.capacity(newConfig.history());
    }

    /** The natural-language name, or the room ID when the owner gave none. */
    String displayName() {
        return config.name().isEmpty() ? id() : config.name();
    }

    /** Whether the room awaits its initial configuration (§10.1.1): only its creator may be inside. */
    boolean isLocked() {
        return locked;
    }

    void unlock() {
        locked = false;
    }

    boolean isDestroyed() {
        return destroyed;
    }

    void markDestroyed() {
        destroyed = true;
    }

    Subject subject() {
        return subject;
    }

    void subject(Subject newSubject) {
        this.subject = newSubject;
    }

    RoomHistory history() {
        return history;
    }

    /** Notes an IQ forwarded to an occupant's session, to route its answer back to the asking session. */
    void forwarded(JID answerer, String id, JID asker) {
        forwardedIqs.put(answerer + " " + id, asker);
    }

    /** The session that asked what this answer answers, or {@code null} for an unsolicited answer. */
    JID asker(JID answerer, String id) {
        return forwardedIqs.remove(answerer + " " + id);
    }

    // --- affiliations (§5.2): by bare JID, or by domain for a whole server (§9.2)

    /** A user's affiliation: an entry for the bare JID, else one for the user's domain, else none. */
    Affiliation affiliationOf(JID user) {
        AffiliationEntry e = affiliations.get(user.toBareJID());
        if (e == null && user.getNode() != null) {
            e = affiliations.get(user.getDomain());
        }
        return e == null ? Affiliation.NONE : e.affiliation();
    }

    AffiliationEntry entry(String bareJid) {
        return affiliations.get(bareJid);
    }

    /** Sets an entry, or removes it when the affiliation is none. */
    void affiliation(String bareJid, AffiliationEntry entry) {
        if (entry == null || entry.affiliation() == Affiliation.NONE) {
            affiliations.remove(bareJid);
        } else {
            affiliations.put(bareJid, entry);
        }
    }

    List<AffiliationEntry> affiliations(Affiliation which) {
        List<AffiliationEntry> list = new ArrayList<>();
        for (AffiliationEntry e : affiliations.values()) {
            if (e.affiliation() == which) {
                list.add(e);
            }
        }
        list.sort((a, b) -> a.jid().compareTo(b.jid()));
        return list;
    }

    List<AffiliationEntry> allAffiliations() {
        return new ArrayList<>(affiliations.values());
    }

    /** The bare JID that reserved a nickname (registered members and others, §7.2.9), or {@code null}. */
    String reservedBy(String nick) {
        String key = nickKey(nick);
        for (AffiliationEntry e : affiliations.values()) {
            if (e.nick() != null && e.affiliation() != Affiliation.OUTCAST && nickKey(e.nick()).equals(key)) {
                return e.jid();
            }
        }
        return null;
    }

    /** The initial role for an affiliation (§5.1.2); outcasts get none since they cannot enter. */
    Role defaultRole(Affiliation affiliation) {
        return switch (affiliation) {
            case OWNER, ADMIN -> Role.MODERATOR;
            case MEMBER -> Role.PARTICIPANT;
            case NONE -> config.moderated() ? Role.VISITOR : Role.PARTICIPANT;
            case OUTCAST -> Role.NONE;
        };
    }

    // --- occupants

    Occupant occupant(String nick) {
        return occupants.get(nickKey(nick));
    }

    Occupant occupantBySession(JID fullJid) {
        return bySession.get(fullJid);
    }

    /** The occupants a user is in the room as (normally at most one), matched by bare JID. */
    List<Occupant> occupantsOf(JID user) {
        List<Occupant> found = new ArrayList<>();
        for (Occupant o : occupants.values()) {
            if (o.bareJid().toBareJID().equals(user.toBareJID())
                    || (user.getNode() == null && o.bareJid().getDomain().equals(user.getDomain()))) {
                found.add(o);
            }
        }
        return found;
    }

    List<Occupant> occupants() {
        return new ArrayList<>(occupants.values());
    }

    int occupantCount() {
        return occupants.size();
    }

    boolean isEmpty() {
        return occupants.isEmpty();
    }

    /** Adds a new occupant or a further session of an existing one. */
    void enter(Occupant occupant, JID session, org.xmpp.packet.Presence presence) {
        occupants.putIfAbsent(nickKey(occupant.nick()), occupant);
        occupant.presence(session, presence);
        bySession.put(session, occupant);
    }

    /** Removes one session; the occupant leaves with its last session. Returns whether it left. */
    boolean exit(JID session) {
        Occupant o = bySession.remove(session);
        if (o == null) {
            return false;
        }
        if (o.removeSession(session)) {
            occupants.remove(nickKey(o.nick()));
            return true;
        }
        return false;
    }

    /** Removes an occupant with all its sessions. */
    void remove(Occupant o) {
        for (JID s : o.sessions()) {
            bySession.remove(s);
            o.removeSession(s);
        }
        occupants.remove(nickKey(o.nick()));
    }

    void rename(Occupant o, String newNick) {
        occupants.remove(nickKey(o.nick()));
        o.nick(newNick);
        occupants.put(nickKey(newNick), o);
    }

    /**
     * The key nicknames are compared by: "How nickname conflicts are determined is up to the
     * implementation" (§7.2.9). Compatibility-normalised and case-folded, so that "Romeo" and
     * "ＲＯＭＥＯ" cannot both be in a room (mimicking another occupant, §18.6).
     */
    static String nickKey(String nick) {
        return Normalizer.normalize(nick, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
