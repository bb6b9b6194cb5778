package im.tongyou.server.feature.offline;

import org.xmpp.packet.Message;

/**
 * What offline storage would do with a message for a user who cannot take it now (XEP-0160 §2, RFC
 * 6121 §8.5.2.2.1), for the features that must agree with it: the archive keeps the recipient's copy
 * of a message only when offline storage takes it, since the sender of a refused message is told it
 * was not delivered.
 */
public interface OfflineStorage {

    /** Whether the message would be stored now (not refused, not discarded, room left). Blocking. */
    boolean accepts(Message message);
}
