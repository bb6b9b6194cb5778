package im.tongyou.server.feature.offline;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import java.time.Duration;
import java.util.Set;

/** Offline messages: storage and delivery by XEP-0160 (RFC 6121 §8.5.2.2.1), with XEP-0203 delays. */
public final class OfflinePlugin implements Plugin {

    /**
     * Options.
     *
     * @param maxPerUser    messages kept for one user; beyond, senders get service-unavailable
     * @param retentionDays days a message waits at most; older ones are deleted
     */
    public record Options(Integer maxPerUser, Integer retentionDays) {
        public Options {
            maxPerUser = maxPerUser == null ? 500 : maxPerUser;
            retentionDays = retentionDays == null ? 30 : retentionDays;
            if (maxPerUser < 1) {
                throw new IllegalArgumentException("max-per-user must be at least 1");
            }
            if (retentionDays < 1) {
                throw new IllegalArgumentException("retention-days must be at least 1");
            }
        }
    }

    @Override
    public String id() {
        return "offline";
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(OfflineStorage.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/offline/changelog.xml");
        Options options = ctx.config(Options.class);
        OfflineStore store = new OfflineStore(ctx.dataSource(), ctx.crypto(), ctx.clock());
        OfflineDelivery delivery = new OfflineDelivery(store, ctx.sessions());
        OfflineInterceptor interceptor = new OfflineInterceptor(store, delivery, options.maxPerUser(), ctx.domain(),
                ctx.clock());
        ctx.onMessage(Phase.PRE_ROUTE, 10, interceptor::removeForgedDelays);
        ctx.onMessage(Phase.OFFLINE, 100, interceptor);
        ctx.provide(OfflineStorage.class, interceptor::accepts);
        ctx.onSessionEvent(delivery::onSessionEvent);
        ctx.addFeature(DiscoScope.SERVER, "msgoffline"); // XEP-0160 §4
        ctx.subjectData(new OfflineSubjectData(store, ctx.domain()));
        Duration retention = Duration.ofDays(options.retentionDays());
        // Once at start; then the retention registry runs the purge on its schedule and reports the oldest.
        ctx.executor().execute(() -> store.purgeBefore(ctx.clock().instant().minus(retention)));
        ctx.retention("offline", retention, (now, cutoff) -> store.purgeBefore(cutoff),
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "offline_message", "stored_at"));
    }
}
