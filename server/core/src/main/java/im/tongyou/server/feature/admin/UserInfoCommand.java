package im.tongyou.server.feature.admin;

import im.tongyou.api.Accounts;
import im.tongyou.api.ClientSession;
import im.tongyou.api.Sessions;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import im.tongyou.api.privacy.AuditLog;
import im.tongyou.api.privacy.Masking;
import im.tongyou.api.registration.Registrations;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * The administrators' ad-hoc command (XEP-0050, in the style of XEP-0133) {@value #NODE}: one
 * account's state, online resources, registered phone number and age group, for support. Personal
 * data is shown masked (privacy requirements R-SEC-5, AC-10): the phone as {@code 139****5678}, the
 * birthday only as an age group; each read writes an audit row naming the administrator. A minor's
 * number is withheld: it is the consent plugin's {@code read-profile}, behind an approval ticket (AC-09).
 */
final class UserInfoCommand implements AdHocCommand {

    static final String NODE = "urn:tongyou:admin:0#user-info";

    private final Accounts accounts;
    private final Sessions sessions;
    private final Supplier<Optional<Registrations>> registrations;
    private final AuditLog audit;
    private final Clock clock;
    private final String domain;
    private final Predicate<JID> isAdmin;

    UserInfoCommand(Accounts accounts, Sessions sessions, Supplier<Optional<Registrations>> registrations, AuditLog audit,
                    Clock clock, String domain, Predicate<JID> isAdmin) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.registrations = registrations;
        this.audit = audit;
        this.clock = clock;
        this.domain = domain;
        this.isAdmin = isAdmin;
    }

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String name() {
        return "Get User Information";
    }

    @Override
    public boolean isAllowed(JID requester) {
        return isAdmin.test(requester);
    }

    @Override
    public CommandResult start(CommandRequest request) {
        DataForm form = AdminForms.form(DataForm.Type.form, "Get User Information",
                "Every read is logged. Phone numbers are masked; a minor's profile needs an approval ticket "
                        + "(urn:tongyou:consent:0#read-profile).");
        AdminForms.field(form, "accountjid", "The Jabber ID", FormField.Type.jid_single, true);
        return CommandResult.lastStage(form);
    }

    @Override
    public CommandResult submit(CommandRequest request) throws StanzaErrorException {
        DataForm submitted = AdminForms.submitted(request.form());
        String jid = AdminForms.required(submitted, "accountjid");
        String user = AdminForms.localUser(jid, domain);
        if (user == null || !accounts.exists(user)) {
            throw AdminForms.badPayload("no such local account: " + jid);
        }
        Optional<Registrations> registered = registrations.get();
        String ageGroup = registered.flatMap(r -> r.birthday(user)).map(this::ageGroup).orElse("unknown");
        // A minor's data needs an approval ticket (R-CHD-7, AC-09): even the masked number is withheld here.
        String phone = "adult".equals(ageGroup) || "unknown".equals(ageGroup)
                ? registered.flatMap(r -> r.phoneNumber(user)).map(Masking::phone).orElse("")
                : "withheld: a minor's data needs an approval ticket";
        long online = sessions.all().stream().map(ClientSession::username).filter(user::equals).count();
        audit.append(AuditLog.admin(request.requester().toBareJID()), "admin.read.user-info", user,
                Map.of("fields", "state,online-resources,phone(masked),age-group"));

        DataForm result = AdminForms.form(DataForm.Type.result, "User Information", null);
        add(result, "accountjid", "The Jabber ID", FormField.Type.jid_single, user + "@" + domain);
        add(result, "state", "State", FormField.Type.text_single, String.valueOf(accounts.state(user)));
        add(result, "onlineresources", "Online resources", FormField.Type.text_single, String.valueOf(online));
        add(result, "phone", "Phone number (masked)", FormField.Type.text_single, phone);
        add(result, "age-group", "Age group", FormField.Type.text_single, ageGroup);
        return CommandResult.completed(result);
    }

    private String ageGroup(LocalDate birthday) {
        int age = Period.between(birthday, LocalDate.now(clock)).getYears();
        return age < 14 ? "child" : age < 18 ? "minor" : "adult";
    }

    private static void add(DataForm form, String var, String label, FormField.Type type, String value) {
        form.addField(var, label, type).addValue(value);
    }
}
