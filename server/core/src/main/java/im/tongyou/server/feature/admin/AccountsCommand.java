package im.tongyou.server.feature.admin;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * Delete User, Disable User and Re-Enable User (XEP-0133 §4.2-§4.4): one or more bare JIDs in
 * {@code accountjids}. Deleting is the same cancellation as the user's own (the account is cancelled
 * at once, its sessions end, every store erases it and the name is never given out again), with
 * the administrator named in the audit trail; disabling
 * ends the sessions and refuses logins but keeps the data. JIDs that could not be handled are named
 * in an error note (XEP-0050 §4.4: a command that "completes but fails").
 */
final class AccountsCommand extends AdminCommand {

    /** What the command does to each account. */
    enum Operation {
        DELETE("delete-user", "Delete a User", "delete", "Deleted"),
        DISABLE("disable-user", "Disable a User", "disable", "Disabled"),
        REENABLE("reenable-user", "Re-Enable a User", "re-enable", "Re-enabled");

        final String use;
        final String name;
        final String verb;
        final String done;

        Operation(String use, String name, String verb, String done) {
            this.use = use;
            this.name = name;
            this.verb = verb;
            this.done = done;
        }
    }

    private final Operation operation;
    private final Accounts accounts;
    private final String domain;

    AccountsCommand(Operation operation, Accounts accounts, String domain, Predicate<JID> isAdmin) {
        super(operation.use, operation.name, isAdmin);
        this.operation = operation;
        this.accounts = accounts;
        this.domain = domain;
    }

    @Override
    DataForm form() {
        DataForm form = AdminForms.form(DataForm.Type.form, operation.name,
                "Fill out this form to " + operation.verb + " a user.");
        AdminForms.field(form, "accountjids", "The Jabber ID(s) to " + operation.verb, FormField.Type.jid_multi, true);
        return form;
    }

    @Override
    public CommandResult submit(im.tongyou.api.commands.CommandRequest request) throws StanzaErrorException {
        return complete(AdminForms.submitted(request.form()), request.requester());
    }

    @Override
    CommandResult complete(DataForm submitted) throws StanzaErrorException {
        return complete(submitted, null);
    }

    private CommandResult complete(DataForm submitted, JID requester) throws StanzaErrorException {
        List<String> jids = AdminForms.values(submitted, "accountjids");
        if (jids.isEmpty()) {
            throw AdminForms.badPayload("the field 'accountjids' is required");
        }
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String jid : jids) {
            String user = AdminForms.localUser(jid, domain);
            (user != null && apply(user, requester) ? done : failed).add(jid);
        }
        List<CommandNote> notes = new ArrayList<>();
        if (!done.isEmpty()) {
            notes.add(CommandNote.info(operation.done + ": " + String.join(", ", done)));
        }
        if (!failed.isEmpty()) {
            notes.add(CommandNote.error("No such local account: " + String.join(", ", failed)));
        }
        return new CommandResult.Completed(null, notes);
    }

    private boolean apply(String user, JID requester) {
        try {
            switch (operation) {
                case DELETE -> {
                    return accounts.cancel(user, im.tongyou.api.privacy.AuditLog.admin(
                            requester == null ? "unknown" : requester.toBareJID()));
                }
                case DISABLE -> accounts.setEnabled(user, false);
                case REENABLE -> accounts.setEnabled(user, true);
                default -> throw new IllegalStateException(operation.name());
            }
            return true;
        } catch (AccountException e) {
            return false;
        }
    }
}
