package im.tongyou.api.caps;

import java.util.Set;
import org.xmpp.packet.JID;

/**
 * What the server has learned of its clients' features through entity capabilities (XEP-0115),
 * provided by the caps feature: a client advertises a verification string in its presence, the
 * server asks that client's service discovery info once per string and checks it (XEP-0115 §5.4).
 * Reads never block on the network.
 */
public interface Capabilities {

    /**
     * The service discovery features of a local client session, as verified for its advertised
     * {@code ver} (or, when it could not be verified, as that client itself answered, XEP-0115
     * §5.4 step 9); empty while unknown or when the client advertises no capabilities.
     */
    Set<String> features(JID fullJid);

    /** Whether the client session is known to support the feature. */
    default boolean supports(JID fullJid, String feature) {
        return features(fullJid).contains(feature);
    }
}
