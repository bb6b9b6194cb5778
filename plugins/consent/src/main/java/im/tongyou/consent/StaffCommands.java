package im.tongyou.consent;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandNote;
import im.tongyou.api.commands.CommandResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * The administrators' commands for staff access to personal data ({@code xeps/tongyou-consent.md}
 * §3.11, R-CHD-7, AC-09): approving a ticket, reading one profile, exporting profiles in bulk.
 */
final class StaffCommands {

    private StaffCommands() {
    }

    /** {@code #create-ticket}: an approver allows one staff member to read a user's named fields. */
    static final class CreateTicket extends ConsentCommand {
        private final StaffAccess access;
        private final String domain;

        CreateTicket(StaffAccess access, String domain, Predicate<JID> isAdmin) {
            super("create-ticket", "Approve staff access to a minor's data", isAdmin);
            this.access = access;
            this.domain = domain;
        }

        @Override
        DataForm form() {
            DataForm form = form(DataForm.Type.form, "Approval ticket", "Approve one staff member's access to named "
                    + "fields of one user's profile, for a purpose, for a limited time. You cannot approve your own.");
            field(form, "subject", "The user", FormField.Type.jid_single, true);
            field(form, "staff", "The staff member (bare JID)", FormField.Type.jid_single, true);
            FormField fields = field(form, "fields", "Fields", FormField.Type.list_multi, true);
            StaffAccess.FIELDS.forEach(f -> fields.addOption(f, f));
            field(form, "purpose", "Purpose", FormField.Type.text_single, true);
            field(form, "hours", "Valid for (hours)", FormField.Type.text_single, true).addValue("24");
            return form;
        }

        @Override
        CommandResult complete(JID requester, DataForm submitted) throws StanzaErrorException {
            String subject = localUser(required(submitted, "subject"), domain);
            String staff = new JID(required(submitted, "staff")).toBareJID();
            int hours;
            try {
                hours = Integer.parseInt(required(submitted, "hours"));
            } catch (NumberFormatException e) {
                throw badPayload("hours is a number");
            }
            TicketStore.Ticket t = access.approve(requester.toBareJID(), subject, staff,
                    new LinkedHashSet<>(values(submitted, "fields")), required(submitted, "purpose"), hours);
            DataForm result = form(DataForm.Type.result, "Approval ticket", null);
            result.addField("ticket", "Ticket", FormField.Type.text_single).addValue(t.id());
            result.addField("expires", "Expires at", FormField.Type.text_single).addValue(t.expiresAt().toString());
            return CommandResult.completed(result, CommandNote.info("Ticket " + t.id()));
        }
    }

    /** {@code #read-profile}: one user's profile; a minor's only with a valid ticket. */
    static final class ReadProfile extends ConsentCommand {
        private final StaffAccess access;
        private final String domain;

        ReadProfile(StaffAccess access, String domain, Predicate<JID> isAdmin) {
            super("read-profile", "Read a user's profile", isAdmin);
            this.access = access;
            this.domain = domain;
        }

        @Override
        DataForm form() {
            DataForm form = form(DataForm.Type.form, "Read a profile",
                    "Every read is logged. A minor's profile needs an approval ticket for you.");
            field(form, "subject", "The user", FormField.Type.jid_single, true);
            field(form, "ticket", "Approval ticket (minors)", FormField.Type.text_single, false);
            field(form, "purpose", "Purpose (adults; a ticket names its own)", FormField.Type.text_single, false);
            return form;
        }

        @Override
        CommandResult complete(JID requester, DataForm submitted) throws StanzaErrorException {
            String subject = localUser(required(submitted, "subject"), domain);
            Map<String, String> profile = access.read(requester.toBareJID(), subject, value(submitted, "ticket"),
                    value(submitted, "purpose"));
            DataForm result = form(DataForm.Type.result, "Profile", null);
            profile.forEach((k, v) -> result.addField(k, k, FormField.Type.text_single).addValue(v));
            return CommandResult.completed(result);
        }
    }

    /** {@code #export-profiles}: profiles in bulk, never a minor's. */
    static final class ExportProfiles extends ConsentCommand {
        private final StaffAccess access;
        private final String domain;

        ExportProfiles(StaffAccess access, String domain, Predicate<JID> isAdmin) {
            super("export-profiles", "Export users' profiles", isAdmin);
            this.access = access;
            this.domain = domain;
        }

        @Override
        DataForm form() {
            DataForm form = form(DataForm.Type.form, "Export profiles",
                    "Bulk exports are logged per user and refused when any user is a minor, whatever the ticket.");
            field(form, "subjects", "Users", FormField.Type.jid_multi, true);
            field(form, "ticket", "Approval ticket", FormField.Type.text_single, false);
            field(form, "purpose", "Purpose", FormField.Type.text_single, true);
            return form;
        }

        @Override
        CommandResult complete(JID requester, DataForm submitted) throws StanzaErrorException {
            List<String> subjects = new ArrayList<>();
            for (String jid : values(submitted, "subjects")) {
                subjects.add(localUser(jid, domain));
            }
            if (subjects.isEmpty()) {
                throw badPayload("name at least one user");
            }
            List<Map<String, String>> profiles = access.export(requester.toBareJID(), subjects, value(submitted, "purpose"));
            DataForm result = form(DataForm.Type.result, "Profiles", null);
            List<String> columns = new ArrayList<>(profiles.get(0).keySet());
            columns.forEach(c -> result.addReportedField(c, c, FormField.Type.text_single));
            for (Map<String, String> p : profiles) {
                Map<String, Object> item = new java.util.LinkedHashMap<>(p);
                result.addItemFields(item);
            }
            return CommandResult.completed(result);
        }
    }
}
