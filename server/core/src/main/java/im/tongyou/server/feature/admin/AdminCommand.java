package im.tongyou.server.feature.admin;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.commands.AdHocCommand;
import im.tongyou.api.commands.CommandRequest;
import im.tongyou.api.commands.CommandResult;
import java.util.function.Predicate;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.JID;

/**
 * A service administration command (XEP-0133): its node under {@code http://jabber.org/protocol/admin#},
 * open to administrators only ("MUST NOT be granted to users who lack service-level administrative
 * privileges", §6). Most are one form, then done.
 */
abstract class AdminCommand implements AdHocCommand {

    private final String node;
    private final String name;
    private final Predicate<JID> isAdmin;

    AdminCommand(String use, String name, Predicate<JID> isAdmin) {
        this.node = AdminForms.NS + "#" + use;
        this.name = name;
        this.isAdmin = isAdmin;
    }

    @Override
    public final String node() {
        return node;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean isAllowed(JID requester) {
        return isAdmin.test(requester);
    }

    /** The form to fill. */
    abstract DataForm form();

    /** Does the work with the submitted form. */
    abstract CommandResult complete(DataForm submitted) throws StanzaErrorException;

    @Override
    public CommandResult start(CommandRequest request) throws StanzaErrorException {
        return CommandResult.lastStage(form());
    }

    @Override
    public CommandResult submit(CommandRequest request) throws StanzaErrorException {
        return complete(AdminForms.submitted(request.form()));
    }
}
