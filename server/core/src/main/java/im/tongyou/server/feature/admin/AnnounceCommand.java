package im.tongyou.server.feature.admin;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Router;
import im.tongyou.api.Sessions;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * Send Announcement to Online Users (XEP-0133 §4.23): "The message shall be sent only to users who
 * currently have a session with the service" — here a headline message from the server to every
 * available session, through the router's delivery phase.
 */
final class AnnounceCommand extends AdminCommand {

    private final Sessions sessions;
    private final Router router;
    private final JID server;

    AnnounceCommand(Sessions sessions, Router router, String domain, Predicate<JID> isAdmin) {
        super("announce", "Send Announcement to Online Users", isAdmin);
        this.sessions = sessions;
        this.router = router;
        this.server = new JID(null, domain, null, true);
    }

    @Override
    DataForm form() {
        DataForm form = AdminForms.form(DataForm.Type.form, "Making an Announcement",
                "Fill out this form to make an announcement to all active users of this service.");
        AdminForms.field(form, "announcement", "Announcement", FormField.Type.text_multi, true);
        return form;
    }

    @Override
    CommandResult complete(DataForm submitted) throws StanzaErrorException {
        // XEP-0004 §3.3: each value of a text-multi field is one line.
        String text = String.join("\n", AdminForms.values(submitted, "announcement"));
        if (text.isEmpty()) {
            throw AdminForms.badPayload("the field 'announcement' is required");
        }
        int sent = 0;
        for (ClientSession session : sessions.all()) {
            if (session.isAvailable()) {
                Message message = new Message();
                message.setType(Message.Type.headline);
                message.setFrom(server);
                message.setTo(session.jid());
                message.setBody(text);
                router.route(message);
                sent++;
            }
        }
        return CommandResult.completed(null, CommandNote.info("Sent to " + sent + " sessions"));
    }
}
