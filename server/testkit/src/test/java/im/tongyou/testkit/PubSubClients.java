package im.tongyou.testkit;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.Jid;

/** Publish-subscribe requests that Smack's managers do not build (publish-options), sent as they are. */
final class PubSubClients {

    private PubSubClients() {
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
