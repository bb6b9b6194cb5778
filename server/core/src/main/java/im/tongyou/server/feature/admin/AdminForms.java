package im.tongyou.server.feature.admin;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * The data forms of service administration (XEP-0133 §4): the FORM_TYPE
 * {@code http://jabber.org/protocol/admin} and its registered fields (XEP-0133 §8.2, XEP-0068).
 */
final class AdminForms {

    static final String NS = "http://jabber.org/protocol/admin";
    static final String COMMANDS = "http://jabber.org/protocol/commands";

    private AdminForms() {
    }

    /** A form with the FORM_TYPE field. */
    static DataForm form(DataForm.Type type, String title, String instructions) {
        DataForm form = new DataForm(type);
        if (title != null) {
            form.setTitle(title);
        }
        if (instructions != null) {
            form.addInstruction(instructions);
        }
        form.addField("FORM_TYPE", null, FormField.Type.hidden).addValue(NS);
        return form;
    }

    /** Adds a field. */
    static FormField field(DataForm form, String var, String label, FormField.Type type, boolean required) {
        FormField field = form.addField(var, label, type);
        field.setRequired(required);
        return field;
    }

    /**
     * Checks a submitted form: present, and of our FORM_TYPE when it names one (XEP-0068 §3).
     *
     * @throws StanzaErrorException bad-request with XEP-0050's bad-payload
     */
    static DataForm submitted(DataForm form) throws StanzaErrorException {
        if (form == null) {
            throw badPayload("submit the form");
        }
        FormField type = form.getField("FORM_TYPE");
        if (type != null && !NS.equals(type.getFirstValue())) {
            throw badPayload("the form is not of type " + NS);
        }
        return form;
    }

    /** The first non-empty value of a field, or {@code null}. */
    static String value(DataForm form, String var) {
        List<String> values = values(form, var);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The non-blank values of a field. */
    static List<String> values(DataForm form, String var) {
        FormField field = form.getField(var);
        List<String> result = new ArrayList<>();
        if (field != null) {
            for (String v : field.getValues()) {
                if (v != null && !v.isBlank()) {
                    result.add(v.strip());
                }
            }
        }
        return result;
    }

    /** A required single value. */
    static String required(DataForm form, String var) throws StanzaErrorException {
        String value = value(form, var);
        if (value == null) {
            throw badPayload("the field '" + var + "' is required");
        }
        return value;
    }

    /**
     * The username of a local account's JID: a bare JID of this domain (XEP-0133: "the JID SHOULD
     * be of the form user@host"); {@code null} when the JID is not one.
     */
    static String localUser(String jid, String domain) {
        try {
            JID parsed = new JID(jid);
            if (parsed.getNode() == null || parsed.getResource() != null || !domain.equals(parsed.getDomain())) {
                return null;
            }
            return parsed.getNode();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** XEP-0050 §4.6: bad-request with the specific condition bad-payload. */
    static StanzaErrorException badPayload(String text) {
        return new StanzaErrorException(PacketError.Condition.bad_request, null, text,
                DocumentHelper.createElement(QName.get("bad-payload", COMMANDS)));
    }
}
