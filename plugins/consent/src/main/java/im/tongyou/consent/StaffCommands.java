package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * The administrators' commands for staff access to personal data ({@code xeps/tongyou-consent.md}
 * §3.11, R-CHD-7, AC-09): approving a ticket, reading one profile, exporting profiles in bulk. Each
 * is one form and one call to {@link StaffAccess}, which checks the ticket and writes the audit row.
 */
final class StaffCommands {

    /** What a command does with its submitted form. */
    @FunctionalInterface
    private interface Action {
        CommandResult run(JID requester, DataForm submitted) throws StanzaErrorException;
    }

    /** One staff command: its form and its action. */
    private static final class StaffCommand extends ConsentCommand {
        private final Supplier<DataForm> form;
        private final Action action;

        StaffCommand(String use, String name, Predicate<JID> isAdmin, Supplier<DataForm> form, Action action) {
            super(use, name, isAdmin);
            this.form = form;
            this.action = action;
        }

        @Override
        DataForm form() {
            return form.get();
        }

        @Override
        CommandResult complete(JID requester, DataForm submitted) throws StanzaErrorException {
            return action.run(requester, submitted);
        }
    }

    private final StaffAccess access;
    private final String domain;

    private StaffCommands(StaffAccess access, String domain) {
        this.access = access;
        this.domain = domain;
    }

    /** The three commands, for {@code ctx.addCommand}. */
    static List<ConsentCommand> all(StaffAccess access, String domain, Predicate<JID> isAdmin) {
        StaffCommands c = new StaffCommands(access, domain);
        return List.of(
                new StaffCommand("create-ticket", "Approve staff access to a minor's data", isAdmin,
                        StaffCommands::ticketForm, c::createTicket),
                new StaffCommand("read-profile", "Read a user's profile", isAdmin, StaffCommands::readForm,
                        c::readProfile),
                new StaffCommand("export-profiles", "Export users' profiles", isAdmin, StaffCommands::exportForm,
                        c::exportProfiles));
    }

    private static DataForm ticketForm() {
        DataForm form = form(DataForm.Type.form, "Approval ticket", "Approve one staff member's access to named "
                + "fields of one user's profile, for a purpose, for a limited time. You cannot approve your own.");
        ConsentCommand.field(form, "subject", "The user", FormField.Type.jid_single, true);
        ConsentCommand.field(form, "staff", "The staff member (bare JID)", FormField.Type.jid_single, true);
        FormField fields = ConsentCommand.field(form, "fields", "Fields", FormField.Type.list_multi, true);
        StaffAccess.FIELDS.forEach(f -> fields.addOption(f, f));
        ConsentCommand.field(form, "purpose", "Purpose", FormField.Type.text_single, true);
        ConsentCommand.field(form, "hours", "Valid for (hours)", FormField.Type.text_single, true).addValue("24");
        return form;
    }

    private static DataForm readForm() {
        DataForm form = form(DataForm.Type.form, "Read a profile",
                "Every read is logged. A minor's profile needs an approval ticket for you.");
        ConsentCommand.field(form, "subject", "The user", FormField.Type.jid_single, true);
        ConsentCommand.field(form, "ticket", "Approval ticket (minors)", FormField.Type.text_single, false);
        ConsentCommand.field(form, "purpose", "Purpose (adults; a ticket names its own)", FormField.Type.text_single, false);
        return form;
    }

    private static DataForm exportForm() {
        DataForm form = form(DataForm.Type.form, "Export profiles",
                "Bulk exports are logged per user and refused when any user is a minor, whatever the ticket.");
        ConsentCommand.field(form, "subjects", "Users", FormField.Type.jid_multi, true);
        ConsentCommand.field(form, "ticket", "Approval ticket", FormField.Type.text_single, false);
        ConsentCommand.field(form, "purpose", "Purpose", FormField.Type.text_single, true);
        return form;
    }

    private CommandResult createTicket(JID requester, DataForm submitted) throws StanzaErrorException {
        int hours;
        try {
            hours = Integer.parseInt(ConsentCommand.required(submitted, "hours"));
        } catch (NumberFormatException e) {
            throw ConsentCommand.badPayload("hours is a number");
        }
        TicketStore.Ticket t = access.approve(requester.toBareJID(), subject(submitted),
                new JID(ConsentCommand.required(submitted, "staff")).toBareJID(),
                new LinkedHashSet<>(ConsentCommand.values(submitted, "fields")),
                ConsentCommand.required(submitted, "purpose"), hours);
        DataForm result = form(DataForm.Type.result, "Approval ticket", null);
        result.addField("ticket", "Ticket", FormField.Type.text_single).addValue(t.id());
        result.addField("expires", "Expires at", FormField.Type.text_single).addValue(t.expiresAt().toString());
        return CommandResult.completed(result, CommandNote.info("Ticket " + t.id()));
    }

    private CommandResult readProfile(JID requester, DataForm submitted) throws StanzaErrorException {
        Map<String, String> profile = access.read(requester.toBareJID(), subject(submitted),
                ConsentCommand.value(submitted, "ticket"), ConsentCommand.value(submitted, "purpose"));
        DataForm result = form(DataForm.Type.result, "Profile", null);
        profile.forEach((k, v) -> result.addField(k, k, FormField.Type.text_single).addValue(v));
        return CommandResult.completed(result);
    }

    private CommandResult exportProfiles(JID requester, DataForm submitted) throws StanzaErrorException {
        List<String> subjects = new ArrayList<>();
        for (String jid : ConsentCommand.values(submitted, "subjects")) {
            subjects.add(ConsentCommand.localUser(jid, domain));
        }
        if (subjects.isEmpty()) {
            throw ConsentCommand.badPayload("name at least one user");
        }
        List<Map<String, String>> profiles = access.export(requester.toBareJID(), subjects,
                ConsentCommand.value(submitted, "purpose"));
        DataForm result = form(DataForm.Type.result, "Profiles", null);
        profiles.get(0).keySet().forEach(c -> result.addReportedField(c, c, FormField.Type.text_single));
        profiles.forEach(p -> result.addItemFields(new LinkedHashMap<>(p)));
        return CommandResult.completed(result);
    }

    private String subject(DataForm submitted) throws StanzaErrorException {
        return ConsentCommand.localUser(ConsentCommand.required(submitted, "subject"), domain);
    }

    private static DataForm form(DataForm.Type type, String title, String instructions) {
        return ConsentCommand.form(type, title, instructions);
    }
}
