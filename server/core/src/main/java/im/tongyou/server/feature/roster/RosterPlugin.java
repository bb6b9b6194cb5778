package im.tongyou.server.feature.roster;

import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.StreamStage;
import im.tongyou.api.roster.Roster;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;

/** Rosters and presence subscriptions (RFC 6121 §2, §3), with versioning (§2.6) and pre-approval (§3.4). */
public final class RosterPlugin implements Plugin {

    /** Where subscription processing runs among presence interceptors: after blocking, before presence. */
    public static final int ORDER = 100;

    /**
     * Options.
     *
     * @param maxItems the most contacts on one roster, and the most requests waiting for one user
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
        return "roster";
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/roster/changelog.xml");
        Options options = ctx.config(Options.class);
        RosterStore store = new RosterStore(ctx.dataSource());
        RosterPushes pushes = new RosterPushes(ctx.sessions());
        RosterService roster = new RosterService(ctx.domain(), store, pushes, ctx.clock(), options.maxItems());
        Subscriptions subscriptions = new Subscriptions(ctx, roster, store);
        RosterIqHandler handler = new RosterIqHandler(ctx, roster, store, pushes, subscriptions);

        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, RosterElement.NS, "query"), handler::get);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, RosterElement.NS, "query"), handler::set);
        ctx.onPresence(Phase.PRE_ROUTE, ORDER, subscriptions::outbound);
        ctx.onPresence(Phase.DELIVER, ORDER, p -> subscriptions.inbound(p, Phase.DELIVER));
        ctx.onPresence(Phase.OFFLINE, ORDER, p -> subscriptions.inbound(p, Phase.OFFLINE));
        ctx.onSessionEvent(event -> {
            if (event instanceof SessionEvent.PresenceChanged changed && changed.initial()) {
                subscriptions.initialPresence(changed.session());
            }
        });
        // RFC 6121 §2.6.1 and §3.4: roster versioning and subscription pre-approval are stream features.
        ctx.addStreamFeature(StreamStage.AFTER_AUTH,
                () -> DocumentHelper.createElement(QName.get("ver", "urn:xmpp:features:rosterver")));
        ctx.addStreamFeature(StreamStage.AFTER_AUTH,
                () -> DocumentHelper.createElement(QName.get("sub", "urn:xmpp:features:pre-approval")));
        ctx.subjectData(new RosterSubjectData(ctx, store, roster));
        ctx.retentionForAccountLifetime("roster", () -> store.oldestPending());
        ctx.provide(Roster.class, roster);
    }
}
