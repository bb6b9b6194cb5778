package im.tongyou.server.feature.muc;

import im.tongyou.api.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xmpp.packet.JID;

/**
 * The rooms of the service, by room ID, and the rooms each client session is in (to remove it from
 * all of them when the session ends). Persistent rooms are all loaded at start-up; temporary rooms
 * live in memory only.
 */
final class Rooms {

    private final String serviceDomain;
    private final Router router;
    private final Map<String, Room> byId = new ConcurrentHashMap<>();
    private final Map<JID, Set<Room>> bySession = new ConcurrentHashMap<>();

    Rooms(String serviceDomain, Router router) {
        this.serviceDomain = serviceDomain;
        this.router = router;
    }

    /** A room by ID, or {@code null}. */
    Room find(String id) {
        return byId.get(id);
    }

    /** Every room, in no particular order. */
    List<Room> all() {
        return new ArrayList<>(byId.values());
    }

    /** A room as loaded from the store: unlocked, with its affiliations and subject. */
    Room load(MucStore.StoredRoom stored) {
        Room room = new Room(new JID(stored.id(), serviceDomain, null, true), stored.config(), stored.createdAt(),
                false, new Outbox(router));
        stored.affiliations().forEach(e -> room.affiliation(e.jid(), e));
        room.subject(stored.subject());
        byId.put(stored.id(), room);
        return room;
    }

    /**
     * Creates a locked room owned by its creator (XEP-0045 §10.1.1), or returns {@code null} when a
     * room with this ID appeared meanwhile.
     */
    synchronized Room create(String id, JID creator, RoomConfig config, Instant now) {
        if (byId.containsKey(id)) {
            return null;
        }
        Room room = new Room(new JID(id, serviceDomain, null, true), config, now, true, new Outbox(router));
        room.affiliation(creator.toBareJID(),
                new AffiliationEntry(creator.toBareJID(), Affiliation.OWNER, null, null, now));
        byId.put(id, room);
        return room;
    }

    /** Forgets a destroyed room. */
    void remove(Room room) {
        byId.remove(room.id(), room);
    }

    /** Notes that a session entered a room. */
    void entered(JID session, Room room) {
        bySession.computeIfAbsent(session, k -> ConcurrentHashMap.newKeySet()).add(room);
    }

    /** Notes that a session left a room. */
    void exited(JID session, Room room) {
        bySession.computeIfPresent(session, (k, rooms) -> {
            rooms.remove(room);
            return rooms.isEmpty() ? null : rooms;
        });
    }

    /** The rooms a session is in. */
    Set<Room> roomsOf(JID session) {
        Set<Room> rooms = bySession.get(session);
        return rooms == null ? Set.of() : Collections.unmodifiableSet(Set.copyOf(rooms));
    }

    /** How many rooms list a bare JID as owner (for the per-user limit); locks each room briefly. */
    int ownedBy(String bareJid) {
        int count = 0;
        for (Room room : byId.values()) {
            room.lock.lock();
            try {
                AffiliationEntry e = room.entry(bareJid);
                if (!room.isDestroyed() && e != null && e.affiliation() == Affiliation.OWNER) {
                    count++;
                }
            } finally {
                room.lock.unlock();
            }
        }
        return count;
    }
}
