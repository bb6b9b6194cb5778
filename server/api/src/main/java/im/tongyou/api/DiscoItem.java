package im.tongyou.api;

import java.util.Objects;
import org.xmpp.packet.JID;

/**
 * An item of a service discovery items result (XEP-0030 §4.1).
 *
 * @param jid  the item's JID
 * @param node the item's node, or {@code null}
 * @param name a human readable name, or {@code null}
 */
public record DiscoItem(JID jid, String node, String name) {
    public DiscoItem {
        Objects.requireNonNull(jid, "jid");
    }
}
