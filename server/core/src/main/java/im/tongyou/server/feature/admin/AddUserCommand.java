package im.tongyou.server.feature.admin;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import im.tongyou.server.feature.register.PhoneNumbers;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * Add User (XEP-0133 §4.1), with the fields Smack's {@code ServiceAdministrationManager.addUser}
 * fills: accountjid, password and password-verify. No e-mail or names are asked (minimisation);
 * a name that is a phone number is refused as in registration (R-MIN-2).
 */
final class AddUserCommand extends AdminCommand {

    private final Accounts accounts;
    private final String domain;

    AddUserCommand(Accounts accounts, String domain, Predicate<JID> isAdmin) {
        super("add-user", "Add a User", isAdmin);
        this.accounts = accounts;
        this.domain = domain;
    }

    @Override
    DataForm form() {
        DataForm form = AdminForms.form(DataForm.Type.form, "Adding a User", "Fill out this form to add a user.");
        AdminForms.field(form, "accountjid", "The Jabber ID for the account to be added", FormField.Type.jid_single, true);
        AdminForms.field(form, "password", "The password for this account", FormField.Type.text_private, true);
        AdminForms.field(form, "password-verify", "Retype password", FormField.Type.text_private, false);
        return form;
    }

    @Override
    CommandResult complete(DataForm submitted) throws StanzaErrorException {
        String jid = AdminForms.required(submitted, "accountjid");
        String password = AdminForms.required(submitted, "password");
        String verify = AdminForms.value(submitted, "password-verify");
        String user = AdminForms.localUser(jid, domain);
        if (user == null) {
            throw AdminForms.badPayload("accountjid must be a bare JID of " + domain);
        }
        if (verify != null && !verify.equals(password)) {
            throw AdminForms.badPayload("the passwords differ");
        }
        if (PhoneNumbers.looksLikePhoneNumber(user, "CN")) {
            throw AdminForms.badPayload("a username must not be a phone number");
        }
        try {
            accounts.create(user, password.toCharArray());
        } catch (AccountException e) {
            if (e.reason() == AccountException.Reason.USERNAME_TAKEN) {
                throw new StanzaErrorException(PacketError.Condition.conflict, "the account exists");
            }
            throw AdminForms.badPayload(e.getMessage());
        }
        return CommandResult.completed(null, CommandNote.info("Added " + user + "@" + domain));
    }
}
