package im.tongyou.testkit;

import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.Jid;

/** An IQ with a payload given as XML, for our own extensions (xeps/), which Smack does not know. */
final class XmlIq extends IQ {

    private final String attributes;
    private final String content;

    /**
     * @param attributes the payload element's attributes as XML, for example {@code " days='30'"}
     * @param content    its content as XML, or empty
     */
    XmlIq(Type type, Jid to, String element, String namespace, String attributes, String content) {
        super(element, namespace);
        setType(type);
        setTo(to);
        this.attributes = attributes;
        this.content = content;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.append(attributes);
        if (content.isEmpty()) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.append(content);
        }
        return xml;
    }

    /** Sends the request and returns the result's payload, parsed; errors throw. */
    static Element request(XMPPTCPConnection connection, XmlIq request) throws Exception {
        IQ result = connection.sendIqRequestAndWaitForResponse(request);
        if (result instanceof UnparsedIQ unparsed) {
            return parse(unparsed.getContent().toString());
        }
        return null; // an empty result
    }

    static Element parse(String xml) throws DocumentException {
        return DocumentHelper.parseText(xml).getRootElement();
    }
}
