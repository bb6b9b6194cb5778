package im.tongyou.server.feature.caps;

import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StreamStage;
import im.tongyou.api.caps.Capabilities;
import java.time.Duration;
import java.util.Set;

/**
 * Entity capabilities (XEP-0115): the server's own in the stream features and at its
 * {@code node#ver}, and a verified cache of what clients advertise, offered as {@link Capabilities}.
 */
public final class CapsPlugin implements Plugin {

    /**
     * Options.
     *
     * @param maxCached            verification strings kept in memory (all are kept in the database)
     * @param queryTimeoutSeconds  how long a client has to answer the server's disco#info
     * @param maxQueriesPerSession disco#info requests the server sends one session at most
     * @param retentionDays        days a learned string is kept before it is asked again
     */
    public record Options(Integer maxCached, Integer queryTimeoutSeconds, Integer maxQueriesPerSession,
                          Integer retentionDays) {
        public Options {
            maxCached = maxCached == null ? 1000 : maxCached;
            queryTimeoutSeconds = queryTimeoutSeconds == null ? 10 : queryTimeoutSeconds;
            maxQueriesPerSession = maxQueriesPerSession == null ? 5 : maxQueriesPerSession;
            retentionDays = retentionDays == null ? 90 : retentionDays;
            if (maxCached < 1 || queryTimeoutSeconds < 1 || maxQueriesPerSession < 0 || retentionDays < 1) {
                throw new IllegalArgumentException("max-cached, query-timeout-seconds and retention-days must be"
                        + " at least 1, max-queries-per-session at least 0");
            }
        }
    }

    @Override
    public String id() {
        return "caps";
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(Capabilities.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/caps/changelog.xml");
        Options options = ctx.config(Options.class);
        ServerCaps own = new ServerCaps(ctx.discoInfo());
        ctx.addStreamFeature(StreamStage.AFTER_AUTH, own::streamFeature);
        ctx.onDiscoNode(own);
        CapsStore store = new CapsStore(ctx.dataSource(), ctx.clock());
        CapsLearner learner = new CapsLearner(new CapsCache(store, options.maxCached()), ctx.sessions(), ctx.router(),
                ctx.executor(), Duration.ofSeconds(options.queryTimeoutSeconds()), options.maxQueriesPerSession());
        ctx.onSessionEvent(learner::onSessionEvent);
        ctx.provide(Capabilities.class, learner);
        // No subject data: caps_ver holds no JID; which client advertised what lives in memory only.
        Duration retention = Duration.ofDays(options.retentionDays());
        ctx.executor().every(Duration.ofHours(6), () -> store.purgeBefore(ctx.clock().instant().minus(retention)));
    }
}
