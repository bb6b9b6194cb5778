package im.tongyou.server.feature.muc;

import im.tongyou.api.Router;
import im.tongyou.api.StanzaErrorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.xmpp.packet.JID;

/**
 * What the parts of the chat service share: its address and options, the rooms, the store, and the
 * server facilities it uses (kept explicit, so that tests build the service without a server).
 *
 * @param service      the service's JID, {@code conference.<domain>}
 * @param domain       the server's domain, whose users are local
 * @param options      the plugin's options
 * @param rooms        the rooms
 * @param store        the store of persistent rooms
 * @param router       routes what the rooms send
 * @param clock        the server clock
 * @param localUser    whether a local account exists
 * @param serverAdmin  whether a JID has the server's administrator rights
 * @param scheduler    runs a task once after a delay (for rooms left unconfigured)
 */
record MucContext(JID service, String domain, MucOptions options, Rooms rooms, MucStore store, Router router,
                  Clock clock, Predicate<String> localUser, Predicate<JID> serverAdmin,
                  BiConsumer<Runnable, Duration> scheduler) {

    /** Work on a room with its lock held. */
    @FunctionalInterface
    interface RoomWork {
        void run() throws StanzaErrorException;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Runs work on a room with its lock held, then routes what the room produced. Returns false,
     * without running it, when the room was destroyed meanwhile.
     */
    boolean locked(Room room, RoomWork work) throws StanzaErrorException {
        room.lock.lock();
        try {
            if (room.isDestroyed()) {
                return false;
            }
            work.run();
        } finally {
            room.lock.unlock();
            room.outbox.flush();
        }
        return true;
    }

    /** Whether a JID is a user of this server. */
    boolean isLocal(JID jid) {
        return jid.getNode() != null && domain.equals(jid.getDomain());
    }
}
