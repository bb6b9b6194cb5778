package im.tongyou.server.net;

import java.util.List;
import org.dom4j.Element;
import org.xmpp.packet.StreamError;

/**
 * The stream-level XML the server writes as text: headers (RFC 6120 §4.7), features (§4.3.2), and
 * stream errors (§4.9), with attribute and text values escaped.
 */
final class StreamText {

    static final String CLOSE = "</stream:stream>";
    static final String PROCEED = "<proceed xmlns='" + Namespaces.TLS + "'/>";
    static final String TLS_FAILURE = "<failure xmlns='" + Namespaces.TLS + "'/>";

    private StreamText() {
    }

    /** The response stream header (RFC 6120 §4.7: from, id, version, xml:lang; to when the client said who it is). */
    static String header(String domain, String id, String to, String lang) {
        StringBuilder sb = new StringBuilder(256)
                .append("<?xml version='1.0'?><stream:stream xmlns='").append(Namespaces.CLIENT)
                .append("' xmlns:stream='").append(Namespaces.STREAMS).append("' id='").append(escape(id))
                .append("' from='").append(escape(domain)).append('\'');
        if (to != null) {
            sb.append(" to='").append(escape(to)).append('\'');
        }
        return sb.append(" version='1.0' xml:lang='").append(escape(lang)).append("'>").toString();
    }

    /** Features before TLS on a listener where it is mandatory (RFC 6120 §5.3.1). */
    static String startTlsFeatures() {
        return "<stream:features><starttls xmlns='" + Namespaces.TLS + "'><required/></starttls></stream:features>";
    }

    /** Features offering SASL mechanisms (RFC 6120 §6.4.1), plus extras such as XEP-0077 registration. */
    static String saslFeatures(List<String> mechanisms, List<Element> extras) {
        StringBuilder sb = new StringBuilder("<stream:features><mechanisms xmlns='").append(Namespaces.SASL).append("'>");
        mechanisms.forEach(m -> sb.append("<mechanism>").append(escape(m)).append("</mechanism>"));
        sb.append("</mechanisms>");
        extras.forEach(e -> sb.append(e.asXML()));
        return sb.append("</stream:features>").toString();
    }

    /**
     * Features after authentication: resource binding (RFC 6120 §7.4), session establishment
     * advertised as optional (RFC 6121 Appendix E, so old clients may still send it), stream
     * management (XEP-0198) and client state indication (XEP-0352), plus plugins' extras.
     */
    static String boundFeatures(List<Element> extras) {
        StringBuilder sb = new StringBuilder("<stream:features><bind xmlns='").append(Namespaces.BIND)
                .append("'/><session xmlns='").append(Namespaces.SESSION).append("'><optional/></session>")
                .append("<sm xmlns='urn:xmpp:sm:3'/><csi xmlns='urn:xmpp:csi:0'/>");
        extras.forEach(e -> sb.append(e.asXML()));
        return sb.append("</stream:features>").toString();
    }

    /** A stream error (RFC 6120 §4.9.2) followed by the closing tag. */
    static String error(StreamError.Condition condition, String text) {
        StringBuilder sb = new StringBuilder("<stream:error><").append(condition.toXMPP())
                .append(" xmlns='").append(Namespaces.STREAM_ERRORS).append("'/>");
        if (text != null) {
            sb.append("<text xmlns='").append(Namespaces.STREAM_ERRORS).append("' xml:lang='en'>")
                    .append(escape(text)).append("</text>");
        }
        return sb.append("</stream:error>").append(CLOSE).toString();
    }

    /** A SASL element with base64 content, or empty when there is none (RFC 6120 §6.4.3, §6.4.6). */
    static String sasl(String name, String base64) {
        if (base64 == null) {
            return "<" + name + " xmlns='" + Namespaces.SASL + "'/>";
        }
        return "<" + name + " xmlns='" + Namespaces.SASL + "'>" + base64 + "</" + name + ">";
    }

    /** A SASL failure with its condition (RFC 6120 §6.5) and an optional text. */
    static String saslFailure(String condition, String text) {
        StringBuilder sb = new StringBuilder("<failure xmlns='").append(Namespaces.SASL).append("'><")
                .append(condition).append("/>");
        if (text != null) {
            sb.append("<text xml:lang='en'>").append(escape(text)).append("</text>");
        }
        return sb.append("</failure>").toString();
    }

    /** Escapes a value for an attribute in single or double quotes, or for text. */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '\'' -> "&apos;";
                case '"' -> "&quot;";
                default -> null;
            };
            if (r != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(r);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
