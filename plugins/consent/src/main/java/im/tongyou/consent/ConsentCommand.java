package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * An administrators' command of the consent plugin (XEP-0050, in the style of XEP-0133;
 * {@code xeps/tongyou-consent.md} §3.11): node {@code urn:tongyou:consent:0#<use>}, forms of
 * FORM_TYPE {@code urn:tongyou:consent:0}, for {@code server.admin-jids} only. A command without a
 * form completes at once.
 */
abstract class ConsentCommand implements AdHocCommand {

    static final String COMMANDS = "http://jabber.org/protocol/commands";

    private final String node;
    private final String name;
    private final Predicate<JID> isAdmin;

    ConsentCommand(String use, String name, Predicate<JID> isAdmin) {
        this.node = ConsentElement.NS + "#" + use;
        this.name = name;
        this.isAdmin = isAdmin;
    }

    @Override
    public final String node() {
        return node;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean isAllowed(JID requester) {
        return isAdmin.test(requester);
    }

    /** The form to fill, or {@code null} when the command runs at once. */
    abstract DataForm form();

    /** Does the work; {@code submitted} is {@code null} for a command without a form. */
    abstract CommandResult complete(JID requester, DataForm submitted) throws StanzaErrorException;

    @Override
    public CommandResult start(CommandRequest request) throws StanzaErrorException {
        DataForm form = form();
        return form == null ? complete(request.requester(), null) : CommandResult.lastStage(form);
    }

    @Override
    public CommandResult submit(CommandRequest request) throws StanzaErrorException {
        DataForm form = request.form();
        if (form == null) {
            throw badPayload("submit the form");
        }
        FormField type = form.getField("FORM_TYPE");
        if (type != null && !ConsentElement.NS.equals(type.getFirstValue())) {
            throw badPayload("the form is not of type " + ConsentElement.NS);
        }
        return complete(request.requester(), form);
    }

    static DataForm form(DataForm.Type type, String title, String instructions) {
        DataForm form = new DataForm(type);
        form.setTitle(title);
        if (instructions != null) {
            form.addInstruction(instructions);
        }
        form.addField("FORM_TYPE", null, FormField.Type.hidden).addValue(ConsentElement.NS);
        return form;
    }

    static FormField field(DataForm form, String var, String label, FormField.Type type, boolean required) {
        FormField field = form.addField(var, label, type);
        field.setRequired(required);
        return field;
    }

    /** The non-blank values of a field. */
    static List<String> values(DataForm form, String var) {
        List<String> result = new ArrayList<>();
        FormField field = form.getField(var);
        if (field != null) {
            for (String v : field.getValues()) {
                if (v != null && !v.isBlank()) {
                    result.add(v.strip());
                }
            }
        }
        return result;
    }

    static String value(DataForm form, String var) {
        List<String> values = values(form, var);
        return values.isEmpty() ? null : values.get(0);
    }

    static String required(DataForm form, String var) throws StanzaErrorException {
        String value = value(form, var);
        if (value == null) {
            throw badPayload("the field '" + var + "' is required");
        }
        return value;
    }

    /** The username of a bare JID of this domain. */
    static String localUser(String jid, String domain) throws StanzaErrorException {
        try {
            JID parsed = new JID(jid);
            if (parsed.getNode() != null && parsed.getResource() == null && domain.equals(parsed.getDomain())) {
                return parsed.getNode();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw badPayload("'" + jid + "' is not a bare JID of " + domain);
    }

    /** XEP-0050 §4.6: bad-request with bad-payload. */
    static StanzaErrorException badPayload(String text) {
        return new StanzaErrorException(PacketError.Condition.bad_request, null, text,
                DocumentHelper.createElement(QName.get("bad-payload", COMMANDS)));
    }
}
