package im.tongyou.testkit;

import java.util.List;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.util.ParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jxmpp.jid.Jid;

/** Publish-subscribe requests that Smack's managers do not build (publish-options), sent as they are. */
final class PubSubClients {

    static final String ERRORS = "http://jabber.org/protocol/pubsub#errors";

    /** The application error conditions of XEP-0060 §16.5 ({@code pubsub#errors}). */
    static final List<String> CONDITIONS = List.of("closed-node", "configuration-required", "invalid-jid",
            "invalid-options", "invalid-payload", "invalid-subid", "item-forbidden", "item-required", "jid-required",
            "max-items-exceeded", "max-nodes-exceeded", "nodeid-required", "not-in-roster-group", "not-subscribed",
            "payload-too-big", "payload-required", "pending-subscription", "precondition-not-met",
            "presence-subscription-required", "subid-required", "too-many-subscriptions", "unsupported",
            "unsupported-access-model");

    private PubSubClients() {
    }

    /**
     * Smack providers for the {@code pubsub#errors} conditions, as a client registers them. Without
     * them Smack 4.5 parses the unknown condition with its StandardExtensionElementProvider, whose
     * assertion on namespace prefixes fails under {@code -ea} (as surefire runs tests) and kills the
     * connection's reader thread (see {@code RegisterConditions}).
     */
    static void registerErrorConditions() {
        for (String name : CONDITIONS) {
            ProviderManager.addExtensionProvider(name, ERRORS, new ExtensionElementProvider<StandardExtensionElement>() {
                @Override
                public StandardExtensionElement parse(XmlPullParser parser, int depth, XmlEnvironment env) throws
                        java.io.IOException, org.jivesoftware.smack.xml.XmlPullParserException {
                    StandardExtensionElement.Builder condition = StandardExtensionElement.builder(parser.getName(), ERRORS);
                    String feature = parser.getAttributeValue("", "feature");
                    if (feature != null) {
                        condition.addAttribute("feature", feature);
                    }
                    ParserUtils.forwardToEndTagOfDepth(parser, depth);
                    return condition.build();
                }
            });
        }
    }

    /** An IQ whose child is {@code <pubsub xmlns=ns>inner</pubsub>}. */
    static final class RawPubSub extends IQ {
        private final String inner;

        RawPubSub(String namespace, Type type, Jid to, String inner) {
            super("pubsub", namespace);
            this.inner = inner;
            setType(type);
            setTo(to);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.append(inner);
            return xml;
        }
    }

    /** Sends a request and waits for its result; an error reply throws {@code XMPPErrorException}. */
    static IQ request(XMPPTCPConnection c, Jid to, IQ.Type type, String inner) throws Exception {
        return c.sendIqRequestAndWaitForResponse(new RawPubSub("http://jabber.org/protocol/pubsub", type, to, inner));
    }

    /** A publish with publish-options (XEP-0060 §7.1.5). */
    static String publishWithOptions(String node, String itemId, String payload, String... fields) {
        StringBuilder sb = new StringBuilder("<publish node='" + node + "'><item id='" + itemId + "'>" + payload
                + "</item></publish><publish-options><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value>"
                + "</field>");
        for (int i = 0; i < fields.length; i += 2) {
            sb.append("<field var='").append(fields[i]).append("'><value>").append(fields[i + 1]).append("</value></field>");
        }
        return sb.append("</x></publish-options>").toString();
    }
}
