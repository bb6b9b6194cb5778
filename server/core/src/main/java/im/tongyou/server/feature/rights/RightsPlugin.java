package im.tongyou.server.feature.rights;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import java.time.Duration;

/**
 * Data-subject rights in band, {@code urn:tongyou:rights:0} ({@code xeps/tongyou-rights.md}): a
 * copy of one's data as a JSON + XEP-0227 archive behind an expiring link, and one's own request
 * history. Cancellation is XEP-0077 {@code <remove/>}.
 */
public final class RightsPlugin implements Plugin {

    /**
     * Options.
     *
     * @param linkHours             how long an export link works (at most 168, the 7 days of AC-16)
     * @param requestRetentionDays  how long request records are kept
     */
    public record Options(Integer linkHours, Integer requestRetentionDays) {
        public Options {
            linkHours = linkHours == null ? 24 : linkHours;
            requestRetentionDays = requestRetentionDays == null ? 1095 : requestRetentionDays;
            if (linkHours < 1 || linkHours > 168) {
                throw new IllegalArgumentException("link-hours must be between 1 and 168");
            }
            if (requestRetentionDays < 1) {
                throw new IllegalArgumentException("request-retention-days must be at least 1");
            }
        }
    }

    @Override
    public String id() {
        return "rights";
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/rights/changelog.xml");
        Options options = ctx.config(Options.class);
        RightsStore store = new RightsStore(ctx.dataSource());
        RightsIqHandler handler = new RightsIqHandler(ctx, store, options);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, RightsIqHandler.NS, "export"), handler::export);
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, RightsIqHandler.NS, "requests"), handler::requests);
        ctx.onHttp(RightsHttp.PREFIX, new RightsHttp(ctx, store));
        ctx.addFeature(DiscoScope.ACCOUNT, RightsIqHandler.NS);
        ctx.subjectData(new RightsSubjectData(store));
        // Expired links lose their token at once; the records go after request-retention-days.
        ctx.retention("rights-request", Duration.ofDays(options.requestRetentionDays()), store::purge, store::oldest);
    }
}
