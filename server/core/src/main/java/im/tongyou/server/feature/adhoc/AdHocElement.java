package im.tongyou.server.feature.adhoc;

import im.tongyou.api.commands.CommandAction;
import im.tongyou.api.commands.CommandNote;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;

/** The {@code <command/>} element of ad-hoc commands (XEP-0050 §6.1), as requested and as answered. */
final class AdHocElement {

    static final String NS = "http://jabber.org/protocol/commands";
    static final String DATA = "jabber:x:data";

    private AdHocElement() {
    }

    /**
     * A command request.
     *
     * @param node      the command node (required)
     * @param sessionId the session, or {@code null} to start one
     * @param action    the action attribute as sent, or {@code null}
     * @param form      the submitted data form, or {@code null}
     */
    record Request(String node, String sessionId, String action, DataForm form) {

        static Request from(Element command) {
            Element x = command.element(QName.get("x", DATA));
            String sessionId = command.attributeValue("sessionid");
            return new Request(command.attributeValue("node"), sessionId == null || sessionId.isEmpty() ? null : sessionId,
                    command.attributeValue("action"), x == null ? null : new DataForm(x.createCopy()));
        }
    }

    /** The session's state in a reply (XEP-0050 §6.2). */
    enum Status { executing, completed, canceled }

    /**
     * A command reply.
     *
     * @param node          the command node
     * @param sessionId     the session
     * @param status        the session's state
     * @param actions       the allowed actions while executing (prev, next, complete)
     * @param defaultAction what execute means while executing, or {@code null}
     * @param notes         notes
     * @param form          a form or result form, or {@code null}
     */
    record Reply(String node, String sessionId, Status status, Set<CommandAction> actions, CommandAction defaultAction,
                 List<CommandNote> notes, DataForm form) {

        static Reply canceled(String node, String sessionId) {
            return new Reply(node, sessionId, Status.canceled, Set.of(), null, List.of(), null);
        }

        Element toElement() {
            Element command = DocumentHelper.createElement(QName.get("command", NS));
            command.addAttribute("node", node).addAttribute("sessionid", sessionId)
                    .addAttribute("status", status.name());
            if (status == Status.executing) {
                Element allowed = command.addElement("actions");
                if (defaultAction != null) {
                    allowed.addAttribute("execute", defaultAction.toXmpp());
                }
                // XEP-0050 §6.4: the children name the allowed actions, in wizard order.
                for (CommandAction a : List.of(CommandAction.PREV, CommandAction.NEXT, CommandAction.COMPLETE)) {
                    if (actions.contains(a)) {
                        allowed.addElement(a.toXmpp());
                    }
                }
            }
            for (CommandNote note : notes) {
                command.addElement("note").addAttribute("type", note.type().toXmpp()).setText(note.text());
            }
            if (form != null) {
                command.add(form.getElement().createCopy());
            }
            return command;
        }
    }
}
