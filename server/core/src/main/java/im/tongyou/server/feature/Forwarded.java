package im.tongyou.server.feature;

import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Stanzas forwarded inside another (XEP-0297 §3: "the forwarded stanza MUST be qualified by its
 * usual namespace", {@code jabber:client}): archive results (XEP-0313) and carbon copies (XEP-0280).
 * Stanzas the server built itself have no namespace until the stream writes them; their copies are
 * put in {@code jabber:client} so that they do not turn up as {@code xmlns=""}.
 */
public final class Forwarded {

    public static final String CLIENT = "jabber:client";

    private Forwarded() {
    }

    /** A copy of the stanza with every element of no namespace moved into {@code jabber:client}. */
    public static Element copy(Element stanza) {
        Element copy = stanza.createCopy();
        adopt(copy);
        return copy;
    }

    private static void adopt(Element element) {
        if (element.getNamespaceURI().isEmpty()) {
            element.setQName(QName.get(element.getName(), CLIENT));
            for (Element child : element.elements()) {
                adopt(child);
            }
        }
    }
}
