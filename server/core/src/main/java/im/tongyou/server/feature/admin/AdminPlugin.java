package im.tongyou.server.feature.admin;

import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.registration.Registrations;
import java.util.function.Predicate;
import org.xmpp.packet.JID;

/**
 * Service administration (XEP-0133) over ad-hoc commands, for the administrators named in
 * {@code server.admin-jids} only: add, delete, disable, re-enable users, change a user's password,
 * count and list online users, announce to online users; and our {@code user-info}, with personal
 * data masked and each read audited.
 */
public final class AdminPlugin implements Plugin {

    @Override
    public String id() {
        return "admin";
    }

    @Override
    public void start(PluginContext ctx) {
        Predicate<JID> isAdmin = ctx::isAdmin;
        String domain = ctx.domain();
        ctx.addCommand(new AddUserCommand(ctx.accounts(), domain, isAdmin));
        ctx.addCommand(new AccountsCommand(AccountsCommand.Operation.DELETE, ctx.accounts(), domain, isAdmin));
        ctx.addCommand(new AccountsCommand(AccountsCommand.Operation.DISABLE, ctx.accounts(), domain, isAdmin));
        ctx.addCommand(new AccountsCommand(AccountsCommand.Operation.REENABLE, ctx.accounts(), domain, isAdmin));
        ctx.addCommand(new ChangePasswordCommand(ctx.accounts(), domain, isAdmin));
        ctx.addCommand(OnlineUsersCommand.number(ctx.sessions(), domain, isAdmin));
        ctx.addCommand(OnlineUsersCommand.list(ctx.sessions(), domain, isAdmin));
        ctx.addCommand(new AnnounceCommand(ctx.sessions(), ctx.router(), domain, isAdmin));
        ctx.addCommand(new UserInfoCommand(ctx.accounts(), ctx.sessions(), () -> ctx.find(Registrations.class),
                ctx.audit(), ctx.clock(), domain, isAdmin));
    }
}
