package im.tongyou.server.feature.blocking;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.roster.Roster;
import java.util.Set;

/** Blocking Command (XEP-0191): blocklists, and the stanzas they stop in both directions. */
public final class BlockingPlugin implements Plugin {

    /** Blocking runs before every other interceptor: a blocked stanza is never archived, stored or answered. */
    public static final int ORDER = -1000;

    /**
     * Options.
     *
     * @param maxItems the most entries on one blocklist
     */
    public record Options(Integer maxItems) {
        public Options {
            maxItems = maxItems == null ? 1000 : maxItems;
            if (maxItems < 1) {
                throw new IllegalArgumentException("max-items must be at least 1");
            }
        }
    }

    @Override
    public String id() {
        return "blocking";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/blocking/changelog.xml");
        Options options = ctx.config(Options.class);
        BlockingStore store = new BlockingStore(ctx.dataSource());
        BlockList list = new BlockList(store);
        BlockingIqHandler handler = new BlockingIqHandler(ctx, store, list, ctx.require(Roster.class), options.maxItems());
        BlockingInterceptor interceptor = new BlockingInterceptor(ctx.domain(), list, ctx.sessions());

        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, BlockingIqHandler.NS, "blocklist"), handler::blocklist);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, BlockingIqHandler.NS, "block"), handler::block);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, BlockingIqHandler.NS, "unblock"), handler::unblock);
        ctx.onMessage(Phase.PRE_ROUTE, ORDER, interceptor::preRoute);
        ctx.onPresence(Phase.PRE_ROUTE, ORDER, interceptor::preRoute);
        ctx.onIqStanza(Phase.PRE_ROUTE, ORDER, interceptor::preRoute);
        for (Phase phase : new Phase[] {Phase.DELIVER, Phase.OFFLINE}) {
            ctx.onMessage(phase, ORDER, interceptor::deliver);
            ctx.onPresence(phase, ORDER, interceptor::deliver);
            ctx.onIqStanza(phase, ORDER, interceptor::deliver);
        }
        ctx.addFeature(DiscoScope.SERVER, BlockingIqHandler.NS);
        ctx.subjectData(new BlockingSubjectData(ctx.dataSource(), store, list, ctx.clock()));
        ctx.retentionForAccountLifetime("blocklist",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "blocking_item", "blocked_at"));
    }
}
