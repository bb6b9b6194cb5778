package im.tongyou.api;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.xmpp.packet.JID;

/** The client sessions bound on this server. Reads are lock-free and safe from any thread. */
public interface Sessions {

    /** The bound sessions of one user, in no particular order; empty when offline. */
    List<ClientSession> of(String username);

    /** The session bound to a full JID of this domain. */
    Optional<ClientSession> get(JID fullJid);

    /** The number of bound sessions. */
    int count();

    /** A snapshot of all bound sessions. */
    Collection<ClientSession> all();
}
