package im.tongyou.server.feature.caps;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The {@code <c xmlns='http://jabber.org/protocol/caps'/>} annotation of XEP-0115 §4.
 *
 * @param hash the hash function's IANA name, or {@code null} in the legacy format (§5.4 step 1)
 * @param node the URI of the software
 * @param ver  the verification string
 */
record CapsElement(String hash, String node, String ver) {

    static final String NS = "http://jabber.org/protocol/caps";

    /** The annotation of a presence or stream features element, or {@code null} when there is none or it is incomplete. */
    static CapsElement in(Element parent) {
        Element c = parent.element(QName.get("c", NS));
        if (c == null) {
            return null;
        }
        String node = c.attributeValue("node");
        String ver = c.attributeValue("ver");
        if (node == null || node.isEmpty() || ver == null || ver.isEmpty()) {
            return null;
        }
        return new CapsElement(c.attributeValue("hash"), node, ver);
    }

    /** The node to ask for the info this annotation stands for (§6.2). */
    String infoNode() {
        return node + "#" + ver;
    }

    Element toElement() {
        Element c = DocumentHelper.createElement(QName.get("c", NS));
        if (hash != null) {
            c.addAttribute("hash", hash);
        }
        return c.addAttribute("node", node).addAttribute("ver", ver);
    }
}
