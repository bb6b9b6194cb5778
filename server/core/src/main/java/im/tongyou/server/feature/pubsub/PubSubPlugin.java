package im.tongyou.server.feature.pubsub;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.caps.Capabilities;
import im.tongyou.api.roster.Roster;
import java.util.Set;
import org.xmpp.packet.JID;

/**
 * Publish-subscribe: a XEP-0060 service on {@code pubsub.<domain>} and the Personal Eventing
 * Protocol (XEP-0163) on every account, with notifications filtered by entity capabilities.
 */
public final class PubSubPlugin implements Plugin {

    @Override
    public String id() {
        return "pubsub";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/pubsub/changelog.xml");
        PubSubOptions options = ctx.config(PubSubOptions.class);
        PubSubStore store = new PubSubStore(ctx.dataSource());
        JID service = new JID(null, options.subdomain() + "." + ctx.domain(), null);
        PubSubContext pubsub = new PubSubContext(ctx.domain(), service, options, new NodeRegistry(store, options), store,
                new Payloads(ctx.crypto()), ctx.require(Roster.class), ctx.router(), ctx.sessions(),
                () -> ctx.find(Capabilities.class), ctx.clock(), ctx::isAdmin);
        AccessControl access = new AccessControl(pubsub);
        Notifier notifier = new Notifier(pubsub, access);
        Publishing publishing = new Publishing(pubsub, access, notifier);
        PubSubIqHandler handler = new PubSubIqHandler(pubsub, publishing, new Subscribing(pubsub, access, notifier),
                new Owning(pubsub, notifier, publishing));
        PubSubDisco disco = new PubSubDisco(pubsub, access);

        ctx.addService(options.subdomain(), options.name(), new PubSubComponent(pubsub, handler, disco));

        Pep pep = new Pep(pubsub, handler, disco);
        for (String ns : new String[] {PubSub.NS, PubSub.OWNER}) {
            ctx.onIq(IqRoute.get(IqTarget.USER, ns, "pubsub"), pep::handle);
            ctx.onIq(IqRoute.set(IqTarget.USER, ns, "pubsub"), pep::handle);
        }
        ctx.onAccountDisco(pep);
        // XEP-0163 §6: the features on the account; on the server as well, where clients (Smack's
        // OMEMO and OpenPGP) look for them, as ejabberd offers them.
        for (DiscoScope scope : DiscoScope.values()) {
            PubSub.FEATURES.forEach(f -> ctx.addFeature(scope, f));
            PubSub.PEP_FEATURES.forEach(f -> ctx.addFeature(scope, f));
        }
        ctx.onSessionEvent(new PepLastItems(pubsub, access, notifier, ctx.executor())::onSessionEvent);
        ctx.subjectData(new PubSubSubjectData(pubsub, notifier));
        // What a user publishes is theirs until they retract it or their account goes.
        ctx.retentionForAccountLifetime("pubsub",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "pubsub_item", "published_at"));
    }
}
