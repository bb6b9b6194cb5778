package im.tongyou.server.feature.disco;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.roster.Roster;
import java.util.Set;

/** Service discovery (XEP-0030) for the server and for users' accounts. */
public final class DiscoPlugin implements Plugin {

    static final String INFO = "http://jabber.org/protocol/disco#info";
    static final String ITEMS = "http://jabber.org/protocol/disco#items";

    @Override
    public String id() {
        return "disco";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        DiscoIqHandler handler = new DiscoIqHandler(ctx, ctx.require(Roster.class));
        ctx.onIq(IqRoute.get(IqTarget.SERVER, INFO, "query"), handler::serverInfo);
        ctx.onIq(IqRoute.get(IqTarget.SERVER, ITEMS, "query"), handler::serverItems);
        ctx.onIq(IqRoute.get(IqTarget.USER, INFO, "query"), handler::accountInfo);
        ctx.onIq(IqRoute.get(IqTarget.USER, ITEMS, "query"), handler::accountItems);
        ctx.addIdentity(new DiscoIdentity("server", "im", "Tongyou Server"));
        ctx.addFeature(DiscoScope.SERVER, INFO);
        ctx.addFeature(DiscoScope.SERVER, ITEMS);
        ctx.addFeature(DiscoScope.ACCOUNT, INFO);
        ctx.addFeature(DiscoScope.ACCOUNT, ITEMS);
    }
}
