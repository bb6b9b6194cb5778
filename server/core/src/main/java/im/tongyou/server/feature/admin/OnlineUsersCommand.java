package im.tongyou.server.feature.admin;

import im.tongyou.api.ClientSession;
import im.tongyou.api.Sessions;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;

/**
 * Get Number of Online Users and Get List of Online Users (XEP-0133 §4.15, §4.20): an online user
 * is "any user or account that currently has at least one connected or available resource". The
 * number comes at once; the list first asks for {@code max_items}, as the XEP's example does.
 */
final class OnlineUsersCommand extends AdminCommand {

    /** The choices of max_items in the XEP's example; "none" means no limit. */
    private static final List<String> MAX_ITEMS = List.of("25", "50", "75", "100", "150", "200", "none");

    private final boolean list;
    private final Sessions sessions;
    private final String domain;

    private OnlineUsersCommand(boolean list, Sessions sessions, String domain, Predicate<JID> isAdmin) {
        super(list ? "get-online-users-list" : "get-online-users-num",
                list ? "Get List of Online Users" : "Get Number of Online Users", isAdmin);
        this.list = list;
        this.sessions = sessions;
        this.domain = domain;
    }

    static OnlineUsersCommand number(Sessions sessions, String domain, Predicate<JID> isAdmin) {
        return new OnlineUsersCommand(false, sessions, domain, isAdmin);
    }

    static OnlineUsersCommand list(Sessions sessions, String domain, Predicate<JID> isAdmin) {
        return new OnlineUsersCommand(true, sessions, domain, isAdmin);
    }

    @Override
    public CommandResult start(CommandRequest request) throws StanzaErrorException {
        if (!list) {
            DataForm result = AdminForms.form(DataForm.Type.result, null, null);
            result.addField("onlineusersnum", "The number of online users", FormField.Type.text_single)
                    .addValue(String.valueOf(onlineUsers().size()));
            return CommandResult.completed(result);
        }
        return super.start(request);
    }

    @Override
    DataForm form() {
        DataForm form = AdminForms.form(DataForm.Type.form, "Requesting List of Online Users",
                "Fill out this form to request the online users of this service.");
        FormField max = AdminForms.field(form, "max_items", "Maximum number of items to show",
                FormField.Type.list_single, false);
        MAX_ITEMS.forEach(v -> max.addOption("none".equals(v) ? "None" : v, v));
        max.addValue("100");
        return form;
    }

    @Override
    CommandResult complete(DataForm submitted) throws StanzaErrorException {
        String max = AdminForms.value(submitted, "max_items");
        int limit = Integer.MAX_VALUE;
        if (max != null && !"none".equals(max)) {
            try {
                limit = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                throw AdminForms.badPayload("max_items must be a number or none");
            }
            if (limit < 1) {
                throw AdminForms.badPayload("max_items must be at least 1");
            }
        }
        DataForm result = AdminForms.form(DataForm.Type.result, null, null);
        FormField jids = result.addField("onlineuserjids", "The list of all online users", FormField.Type.jid_multi);
        onlineUsers().stream().limit(limit).forEach(u -> jids.addValue(u + "@" + domain));
        return CommandResult.completed(result);
    }

    private TreeSet<String> onlineUsers() {
        TreeSet<String> users = new TreeSet<>();
        for (ClientSession s : sessions.all()) {
            users.add(s.username());
        }
        return users;
    }
}
