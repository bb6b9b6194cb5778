package im.tongyou.server.feature.carbons;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;

/** Message carbons (XEP-0280): copies of a user's conversations to all of their carbon-enabled resources. */
public final class CarbonsPlugin implements Plugin {

    /**
     * After archiving (the copies carry the archive's stanza-id, XEP-0313 §3.5) and before the
     * sender's id is hidden from the recipient.
     */
    public static final int ORDER = 500;

    @Override
    public String id() {
        return "carbons";
    }

    @Override
    public void start(PluginContext ctx) {
        CarbonsInterceptor carbons = new CarbonsInterceptor(ctx.domain(), ctx.sessions());
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, CarbonsInterceptor.NS, "enable"), carbons::enable);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, CarbonsInterceptor.NS, "disable"), carbons::disable);
        ctx.onMessage(Phase.PRE_ROUTE, ORDER, carbons::sent);
        ctx.onMessage(Phase.DELIVER, ORDER, carbons::received);
        ctx.addFeature(DiscoScope.SERVER, CarbonsInterceptor.NS); // XEP-0280 §3
    }
}
