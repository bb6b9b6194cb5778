package im.tongyou.server.feature.adhoc;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.AdHocCommands;
import im.tongyou.api.commands.CommandAction;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * Executes ad-hoc commands (XEP-0050 §3.4): starts sessions, resolves {@code execute} to the
 * stage's default action, answers {@code prev} from the stages already shown and {@code cancel}
 * itself, and hands {@code next} and {@code complete} to the command. Errors are those of §4.6.
 */
final class AdHocIqHandler {

    private final AdHocCommands commands;
    private final AdHocSessions sessions;

    AdHocIqHandler(AdHocCommands commands, AdHocSessions sessions) {
        this.commands = commands;
        this.sessions = sessions;
    }

    IQ execute(IQ request) throws StanzaErrorException {
        AdHocElement.Request command = AdHocElement.Request.from(request.getChildElement());
        if (command.node() == null || command.node().isEmpty()) {
            throw StanzaErrorException.badRequest("the command has no node");
        }
        CommandAction action;
        try {
            action = CommandAction.fromXmpp(command.action());
        } catch (IllegalArgumentException e) {
            throw specific(PacketError.Condition.bad_request, "malformed-action", "unknown action");
        }
        AdHocCommand target = commands.find(command.node())
                .orElseThrow(() -> StanzaErrorException.itemNotFound("no such command"));
        JID requester = request.getFrom();
        if (!target.isAllowed(requester)) {
            throw StanzaErrorException.forbidden("you may not execute this command");
        }
        AdHocElement.Reply reply = command.sessionId() == null
                ? start(target, requester, action)
                : resume(target, requester, action, command);
        IQ result = IQ.createResultIQ(request);
        result.setChildElement(reply.toElement());
        return result;
    }

    private AdHocElement.Reply start(AdHocCommand target, JID requester, CommandAction action)
            throws StanzaErrorException {
        if (action != CommandAction.EXECUTE) {
            // Only execute starts a session; the other actions continue one (XEP-0050 §3.3).
            throw specific(PacketError.Condition.bad_request, "bad-sessionid", "this action needs a session");
        }
        AdHocSessions.Session session = sessions.create(requester, target.node());
        if (session == null) {
            throw StanzaErrorException.resourceConstraint("too many open command sessions: complete or cancel some");
        }
        try {
            CommandResult result = target.start(new CommandRequest(requester, action, 0, null, session.data));
            return apply(session, result);
        } catch (StanzaErrorException | RuntimeException e) {
            sessions.end(session);
            throw e;
        }
    }

    private AdHocElement.Reply resume(AdHocCommand target, JID requester, CommandAction action,
                                      AdHocElement.Request command) throws StanzaErrorException {
        AdHocSessions.Lookup found = sessions.find(command.sessionId(), requester, target.node());
        if (found instanceof AdHocSessions.Lookup.Ended) {
            throw specific(PacketError.Condition.not_allowed, "session-expired", "the session has ended");
        }
        if (!(found instanceof AdHocSessions.Lookup.Live live)) {
            throw specific(PacketError.Condition.bad_request, "bad-sessionid", "no such session");
        }
        AdHocSessions.Session session = live.session();
        synchronized (session) {
            if (action == CommandAction.CANCEL) {
                // XEP-0050 §3.4: "The responder MUST reply with the success of the command".
                sessions.end(session);
                return AdHocElement.Reply.canceled(target.node(), session.id);
            }
            CommandResult.Executing current = session.stages.peek();
            if (current == null) {
                throw specific(PacketError.Condition.bad_request, "bad-action", "the session has no stage to act on");
            }
            CommandAction resolved = action == CommandAction.EXECUTE ? current.defaultAction() : action;
            if (resolved == CommandAction.PREV) {
                if (session.stages.size() < 2) {
                    throw specific(PacketError.Condition.bad_request, "bad-action", "there is no previous stage");
                }
                session.stages.pop();
                return executing(session, session.stages.peek());
            }
            if (!current.actions().contains(resolved)) {
                throw specific(PacketError.Condition.bad_request, "bad-action",
                        "this stage does not allow " + resolved.toXmpp());
            }
            DataForm form = command.form();
            if (form != null && form.getType() != DataForm.Type.submit && form.getType() != DataForm.Type.cancel) {
                // XEP-0050 §3.5.1: the requester submits; "<x type='cancel'/>" counts as submit.
                throw specific(PacketError.Condition.bad_request, "bad-payload", "the data form must be of type submit");
            }
            CommandResult result = target.submit(new CommandRequest(requester, resolved, session.stages.size() - 1,
                    form, session.data));
            return apply(session, result);
        }
    }

    private AdHocElement.Reply apply(AdHocSessions.Session session, CommandResult result) {
        if (result instanceof CommandResult.Executing stage) {
            session.stages.push(stage);
            return executing(session, stage);
        }
        CommandResult.Completed done = (CommandResult.Completed) result;
        sessions.end(session);
        return new AdHocElement.Reply(session.node, session.id, AdHocElement.Status.completed, Set.of(), null,
                done.notes(), done.form());
    }

    private static AdHocElement.Reply executing(AdHocSessions.Session session, CommandResult.Executing stage) {
        Set<CommandAction> actions = EnumSet.copyOf(stage.actions());
        if (session.stages.size() > 1) {
            actions.add(CommandAction.PREV);
        }
        return new AdHocElement.Reply(session.node, session.id, AdHocElement.Status.executing, actions,
                stage.defaultAction(), List.copyOf(stage.notes()), stage.form());
    }

    /** A stanza error with XEP-0050's specific condition (§4.6). */
    static StanzaErrorException specific(PacketError.Condition condition, String name, String text) {
        return new StanzaErrorException(condition, null, text,
                DocumentHelper.createElement(QName.get(name, AdHocElement.NS)));
    }
}
