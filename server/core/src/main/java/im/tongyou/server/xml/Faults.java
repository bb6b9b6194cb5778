package im.tongyou.server.xml;

import javax.xml.stream.XMLStreamException;
import org.xmpp.packet.StreamError.Condition;

/**
 * The stream faults of {@link XmppStreamDecoder} and their texts, with the mapping of parser
 * errors to the conditions of RFC 6120 §4.9.3.
 */
final class Faults {

    private Faults() {
    }

    /**
     * RFC 6120 §11.1 lists comments, processing instructions, DTD subsets and entity references
     * other than the predefined ones, and says: "If an XMPP implementation receives characters
     * matching such features over an XML stream, it MUST close the stream with a stream error,
     * which SHOULD be <restricted-xml/>".
     */
    static FaultException restricted(String what) {
        return new FaultException(Condition.restricted_xml, what + " (RFC 6120 §11.1)");
    }

    static FaultException tooLarge(int limit) {
        return new FaultException(Condition.policy_violation, "stanza larger than the limit of " + limit + " bytes");
    }

    static FaultException tooLargeHeader(int limit) {
        return new FaultException(Condition.policy_violation,
                "stream header larger than the limit of " + limit + " bytes");
    }

    /**
     * Maps a parser error to a fault: {@code not-well-formed} unless the error is one of the
     * restricted or encoding cases that aalto reports as a plain well-formedness error.
     *
     * @param markupBeforeRoot whether "<!" occurred before the root element: there it can
     *                         only open a comment or a DOCTYPE, both restricted
     */
    static StreamFault classify(XMLStreamException e, boolean markupBeforeRoot) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // COMPAT aalto-xml 1.3: these two conditions have no exception type of their own;
        // tests pin the messages, and a change would only weaken the condition to not-well-formed.
        if (message.contains("Unexpanded ENTITY_REFERENCE")) {
            return restricted("entity references other than the predefined ones are not allowed").fault();
        }
        if (message.contains("Unsupported encoding")) {
            return new StreamFault(Condition.unsupported_encoding, "only UTF-8 is allowed (RFC 6120 §11.6)");
        }
        // COMPAT aalto-xml 1.3: its non-blocking parser fails on a DOCTYPE with an internal
        // subset but no external id ("<!DOCTYPE x [", the usual billion laughs) with a generic
        // error instead of reporting a DTD event.
        if (markupBeforeRoot) {
            return restricted("a document type declaration is not allowed").fault();
        }
        int lineEnd = message.indexOf('\n');
        String detail = (lineEnd < 0 ? message : message.substring(0, lineEnd)).trim();
        return new StreamFault(Condition.not_well_formed, "the XML is not well-formed: " + abbreviate(detail));
    }

    /** Keeps texts short: they may quote a name or a character the peer sent. */
    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
