package im.tongyou.api;

import java.util.Objects;
import org.xmpp.packet.JID;

/**
 * An item of the server's service discovery items (XEP-0030 §4), such as a chat room service.
 *
 * @param jid  the item's address
 * @param name a human readable name, or {@code null}
 */
public record DiscoItem(JID jid, String name) {
    public DiscoItem {
        Objects.requireNonNull(jid, "jid");
    }
}
