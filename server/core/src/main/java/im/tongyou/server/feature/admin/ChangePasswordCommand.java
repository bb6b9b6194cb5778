package im.tongyou.server.feature.admin;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/** Change User Password (XEP-0133 §4.7): accountjid and the new password. */
final class ChangePasswordCommand extends AdminCommand {

    private final Accounts accounts;
    private final String domain;

    ChangePasswordCommand(Accounts accounts, String domain, Predicate<JID> isAdmin) {
        super("change-user-password", "Change User Password", isAdmin);
        this.accounts = accounts;
        this.domain = domain;
    }

    @Override
    DataForm form() {
        DataForm form = AdminForms.form(DataForm.Type.form, "Changing a User Password",
                "Fill out this form to change a user's password.");
        AdminForms.field(form, "accountjid", "The Jabber ID for this account", FormField.Type.jid_single, true);
        AdminForms.field(form, "password", "The password for this account", FormField.Type.text_private, true);
        return form;
    }

    @Override
    CommandResult complete(DataForm submitted) throws StanzaErrorException {
        String jid = AdminForms.required(submitted, "accountjid");
        String password = AdminForms.required(submitted, "password");
        String user = AdminForms.localUser(jid, domain);
        if (user == null) {
            throw AdminForms.badPayload("accountjid must be a bare JID of " + domain);
        }
        try {
            accounts.setPassword(user, password.toCharArray());
        } catch (AccountException e) {
            if (e.reason() == AccountException.Reason.NO_SUCH_ACCOUNT) {
                throw StanzaErrorException.itemNotFound("no such account");
            }
            throw AdminForms.badPayload(e.getMessage());
        }
        return CommandResult.completed(null, CommandNote.info("Changed the password of " + user + "@" + domain));
    }
}
