package im.tongyou.server.feature.push;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.push.PushProviders;
import java.time.Duration;
import java.util.Set;

/** Push notifications (XEP-0357) and the built-in app server with pluggable providers (xeps/tongyou-push.md). */
public final class PushPlugin implements Plugin {

    /** In OFFLINE: after archiving (50), before offline storage (100) takes the message. */
    public static final int OFFLINE_ORDER = 60;

    /**
     * Options.
     *
     * @param expiryDays         days a registration or device lasts without being used
     * @param minIntervalSeconds the least time between two notifications to one device
     * @param appServer          whether to run the built-in app server on {@code push.<domain>}
     */
    public record Options(Integer expiryDays, Integer minIntervalSeconds, Boolean appServer) {
        public Options {
            expiryDays = expiryDays == null ? 30 : expiryDays;
            minIntervalSeconds = minIntervalSeconds == null ? 10 : minIntervalSeconds;
            appServer = appServer == null || appServer;
            if (expiryDays < 1) {
                throw new IllegalArgumentException("expiry-days must be at least 1");
            }
            if (minIntervalSeconds < 0) {
                throw new IllegalArgumentException("min-interval-seconds must not be negative");
            }
        }
    }

    @Override
    public String id() {
        return "push";
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(PushProviders.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/push/changelog.xml");
        Options options = ctx.config(Options.class);
        PushStore store = new PushStore(ctx.dataSource(), ctx.crypto(), ctx.clock());
        PushIqHandler handler = new PushIqHandler(store);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, PushIqHandler.NS, "enable"), handler::enable);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, PushIqHandler.NS, "disable"), handler::disable);
        ctx.addFeature(DiscoScope.ACCOUNT, PushIqHandler.NS); // XEP-0357 §4.1

        PushNotifier notifier = new PushNotifier(ctx.domain(), store, ctx.router(), ctx.executor(), ctx.clock(),
                Duration.ofSeconds(options.minIntervalSeconds()));
        ctx.onMessage(Phase.OFFLINE, OFFLINE_ORDER, notifier::offline);
        ctx.onSessionEvent(notifier::onSessionEvent);

        PushProvidersRegistry providers = new PushProvidersRegistry();
        providers.add(new LogPushProvider());
        ctx.provide(PushProviders.class, providers);
        if (options.appServer()) {
            PushAppServer appServer = new PushAppServer(ctx.domain(), store, providers, ctx.crypto(), ctx.router());
            appServer.address(ctx.addService("push", "Tongyou push notifications", appServer));
        }
        ctx.subjectData(new PushSubjectData(store));
        Duration expiry = Duration.ofDays(options.expiryDays());
        // Registrations unused for the period go (XEP-0357 registrations are not kept forever); the
        // retention registry runs the purge and reports the oldest.
        ctx.retention("push", expiry, (now, cutoff) -> store.expire(cutoff),
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "push_registration", "last_used_at"));
    }
}
