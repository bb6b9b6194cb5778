package im.tongyou.server.feature.mam;

import im.tongyou.api.StanzaErrorException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * An archive query (XEP-0313 §4): the filter form's fields (§4.1: with, start, end, and the
 * extended before-id, after-id, ids), the result set management of XEP-0059 (max, after, before —
 * empty for the last page) and {@code <flip-page/>} (§4.3.4).
 *
 * @param before {@code null} without {@code <before/>}, empty for "the last page", or a UID
 */
record MamQuery(String queryId, JID with, Instant start, Instant end, String beforeId, String afterId,
                List<String> ids, Integer max, String after, String before, boolean flip) {

    static final String NS = "urn:xmpp:mam:2";
    static final String DATA = "jabber:x:data";
    static final String RSM = "http://jabber.org/protocol/rsm";
    private static final Set<String> FIELDS = Set.of("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids");

    MamQuery {
        ids = ids == null ? null : List.copyOf(ids);
    }

    /** Parses {@code <query xmlns='urn:xmpp:mam:2'/>}. */
    static MamQuery fromElement(Element query) throws StanzaErrorException {
        if (query.attributeValue("node") != null) {
            throw StanzaErrorException.featureNotImplemented("a user archive has no pubsub nodes");
        }
        JID with = null;
        Instant start = null;
        Instant end = null;
        String beforeId = null;
        String afterId = null;
        List<String> ids = null;
        Element form = query.element(QName.get("x", DATA));
        if (form != null) {
            for (Element field : form.elements("field")) {
                String var = field.attributeValue("var", "");
                if (!FIELDS.contains(var)) {
                    // XEP-0313 §4.1.5: "If a client includes a form field that the server does not
                    // recognise, the server MUST respond with a 'feature-not-implemented' error."
                    throw StanzaErrorException.featureNotImplemented("unknown field '" + var + "'");
                }
                List<String> values = values(field);
                String value = values.isEmpty() ? null : values.get(0);
                switch (var) {
                    case "FORM_TYPE" -> {
                        if (!NS.equals(value)) {
                            throw StanzaErrorException.badRequest("FORM_TYPE must be " + NS);
                        }
                    }
                    case "with" -> with = value == null ? null : jid(value);
                    case "start" -> start = value == null ? null : instant(value);
                    case "end" -> end = value == null ? null : instant(value);
                    case "before-id" -> beforeId = value;
                    case "after-id" -> afterId = value;
                    default -> ids = values;
                }
            }
        }
        Integer max = null;
        String after = null;
        String before = null;
        Element set = query.element(QName.get("set", RSM));
        if (set != null) {
            if (set.element("index") != null) {
                throw StanzaErrorException.featureNotImplemented("pages by index are not supported; use after or before");
            }
            Element maxElement = set.element("max");
            if (maxElement != null) {
                try {
                    max = Integer.parseInt(maxElement.getTextTrim());
                } catch (NumberFormatException e) {
                    throw StanzaErrorException.badRequest("<max/> must be a number");
                }
                if (max < 0) {
                    throw StanzaErrorException.badRequest("<max/> must not be negative");
                }
            }
            after = text(set.element("after"));
            before = set.element("before") == null ? null : set.element("before").getTextTrim();
        }
        return new MamQuery(query.attributeValue("queryid"), with, start, end, beforeId, afterId, ids, max, after,
                before, query.element("flip-page") != null);
    }

    /** Whether the page is counted from the end (RSM {@code <before/>}: XEP-0059 §2.3, §2.5). */
    boolean backwards() {
        return before != null;
    }

    private static List<String> values(Element field) {
        List<String> values = new ArrayList<>();
        for (Element v : field.elements("value")) {
            String text = v.getTextTrim();
            if (!text.isEmpty()) {
                values.add(text);
            }
        }
        return values;
    }

    private static String text(Element e) {
        if (e == null) {
            return null;
        }
        String t = e.getTextTrim();
        return t.isEmpty() ? null : t;
    }

    private static JID jid(String value) throws StanzaErrorException {
        try {
            return new JID(value);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(PacketError.Condition.jid_malformed, "'with' is not a JID");
        }
    }

    /** XEP-0082 DateTime: {@code CCYY-MM-DDThh:mm:ss[.sss]TZD}. */
    private static Instant instant(String value) throws StanzaErrorException {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw StanzaErrorException.badRequest("'" + value + "' is not an XEP-0082 date and time");
        }
    }

    /** The form of supported fields (XEP-0313 §4.1.5), for an IQ get. */
    static Element form() {
        Element x = DocumentHelper.createElement(QName.get("x", DATA)).addAttribute("type", "form");
        x.addElement("field").addAttribute("type", "hidden").addAttribute("var", "FORM_TYPE")
                .addElement("value").setText(NS);
        x.addElement("field").addAttribute("type", "jid-single").addAttribute("var", "with");
        x.addElement("field").addAttribute("type", "text-single").addAttribute("var", "start");
        x.addElement("field").addAttribute("type", "text-single").addAttribute("var", "end");
        x.addElement("field").addAttribute("type", "text-single").addAttribute("var", "before-id");
        x.addElement("field").addAttribute("type", "text-single").addAttribute("var", "after-id");
        Element ids = x.addElement("field").addAttribute("type", "list-multi").addAttribute("var", "ids");
        // §4.1.5: "the server MUST include a XEP-0122 <validate/> element that signals the list is open".
        ids.addElement(QName.get("validate", "http://jabber.org/protocol/xdata-validate"))
                .addAttribute("datatype", "xs:string").addElement("open");
        return x;
    }
}
