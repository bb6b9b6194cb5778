package im.tongyou.server.feature.pubsub;

import im.tongyou.api.StanzaErrorException;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.xmpp.packet.PacketError;

/**
 * Namespaces, features and error conditions of XEP-0060 Publish-Subscribe (§16 "XML Schemas",
 * §7-§8 error cases), shared by the service on {@code pubsub.<domain>} and PEP (XEP-0163).
 */
final class PubSub {

    static final String NS = "http://jabber.org/protocol/pubsub";
    static final String OWNER = NS + "#owner";
    static final String EVENT = NS + "#event";
    static final String ERRORS = NS + "#errors";
    static final String NODE_CONFIG = NS + "#node_config";
    static final String PUBLISH_OPTIONS = NS + "#publish-options";
    static final String SUBSCRIBE_OPTIONS = NS + "#subscribe_options";
    static final String META_DATA = NS + "#meta-data";
    static final String DATA = "jabber:x:data";
    static final String DELAY = "urn:xmpp:delay";
    /** The XEP-0080 User Location node and payload namespace, which this server never broadcasts (AC-27). */
    static final String GEOLOC = "http://jabber.org/protocol/geoloc";

    /**
     * The features both services offer (XEP-0060 §10 "Feature Summary"); {@code config-node-max}
     * is the value {@code max} of {@code pubsub#max_items} that XEP-0223 and XEP-0402 use.
     */
    static final List<String> FEATURES = List.of(NS,
            NS + "#access-open", NS + "#access-presence", NS + "#access-roster", NS + "#access-whitelist",
            NS + "#auto-create", NS + "#config-node", NS + "#config-node-max", NS + "#create-and-configure",
            NS + "#create-nodes", NS + "#delete-items", NS + "#delete-nodes", NS + "#item-ids",
            NS + "#last-published", NS + "#manage-affiliations", NS + "#manage-subscriptions",
            NS + "#modify-affiliations", NS + "#outcast-affiliation", NS + "#persistent-items",
            NS + "#publish", NS + "#publish-options", NS + "#publisher-affiliation", NS + "#publish-only-affiliation",
            NS + "#purge-nodes", NS + "#retract-items", NS + "#retrieve-affiliations", NS + "#retrieve-default",
            NS + "#retrieve-items", NS + "#retrieve-subscriptions", NS + "#subscribe", NS + "#subscription-options");

    /** What PEP adds (XEP-0163 §1.2: "auto-create", "auto-subscribe", "filtered-notifications"). */
    static final List<String> PEP_FEATURES = List.of(NS + "#auto-subscribe", NS + "#filtered-notifications",
            NS + "#presence-notifications", NS + "#presence-subscribe");

    private PubSub() {
    }

    /** An error with a pubsub-specific condition (XEP-0060 §7.1.3 and the others). */
    static StanzaErrorException error(PacketError.Condition condition, String pubsubCondition, String text) {
        Element app = DocumentHelper.createElement(org.dom4j.QName.get(pubsubCondition, ERRORS));
        return new StanzaErrorException(condition, null, text, app);
    }

    /** feature-not-implemented with {@code <unsupported feature='...'/>} (XEP-0060 §7.1.3.2 and others). */
    static StanzaErrorException unsupported(String feature, String text) {
        Element app = DocumentHelper.createElement(org.dom4j.QName.get("unsupported", ERRORS));
        app.addAttribute("feature", feature);
        return new StanzaErrorException(PacketError.Condition.feature_not_implemented, null, text, app);
    }

    /**
     * The error reply to a request, without the request's payload (RFC 6120 §8.3.1: the original
     * XML "MAY" be included): an echoed item could be large, and is the sender's data anyway.
     */
    static org.xmpp.packet.IQ errorReply(org.xmpp.packet.IQ request, StanzaErrorException e) {
        org.xmpp.packet.IQ reply = org.xmpp.packet.IQ.createResultIQ(request);
        reply.setType(org.xmpp.packet.IQ.Type.error);
        reply.setError(e.toPacketError());
        return reply;
    }

    static StanzaErrorException noSuchNode() {
        return StanzaErrorException.itemNotFound("no such node");
    }

    /** A missing node attribute: bad-request with nodeid-required (XEP-0060 §6.1.3.x, §7.1.3.x). */
    static StanzaErrorException nodeIdRequired() {
        return error(PacketError.Condition.bad_request, "nodeid-required", "name the node");
    }
}
