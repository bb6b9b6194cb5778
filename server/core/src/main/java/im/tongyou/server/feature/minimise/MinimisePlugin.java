package im.tongyou.server.feature.minimise;

import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;

/**
 * Data minimisation on the wire (privacy requirements C-02, R-MIN-1, AC-04): device identifiers are
 * refused in everything a local client sends, before any other feature sees it. Registration before
 * authentication does not pass the router; the register feature checks its forms itself.
 */
public final class MinimisePlugin implements Plugin {

    /** After the consent plugin's gate of children's accounts, before blocking, archiving and broadcast. */
    public static final int ORDER = -10_000;

    @Override
    public String id() {
        return "minimise";
    }

    @Override
    public void start(PluginContext ctx) {
        MinimiseInterceptor interceptor = new MinimiseInterceptor(ctx.domain());
        ctx.onIqStanza(Phase.PRE_ROUTE, ORDER, interceptor::iq);
        ctx.onMessage(Phase.PRE_ROUTE, ORDER, interceptor::message);
        ctx.onPresence(Phase.PRE_ROUTE, ORDER, interceptor::presence);
    }
}
