package im.tongyou.server.feature.rights;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.privacy.CancellationRequests;
import im.tongyou.server.privacy.WorkingCalendar;
import java.time.Duration;

/**
 * Data-subject rights in band, {@code urn:tongyou:rights:0} ({@code xeps/tongyou-rights.md}): a
 * copy of one's data as a JSON + XEP-0227 archive behind an expiring link, and one's own request
 * history, corrections (the profile at once, the rest through staff and the admin commands of
 * {@link RightsCommands}), and cancellation (the core's, as XEP-0077 {@code <remove/>}, tracked as a
 * request by {@link RightsCancellations}).
 */
public final class RightsPlugin implements Plugin {

    /**
     * Options.
     *
     * @param linkHours             how long an export link works (at most 168, the 7 days of AC-16)
     * @param requestRetentionDays  how long request records are kept
     * @param complaintChannel      where a user whose request was refused can complain (PIPL art. 50)
     */
    public record Options(Integer linkHours, Integer requestRetentionDays, String complaintChannel) {
        /** The default complaint channel: the policy's contact section, and the regulator. */
        public static final String COMPLAINT = "个人信息保护负责人 (隐私政策 十、如何联系我们) / the personal information "
                + "protection officer named in the privacy policy; or the Cyberspace Administration of China, "
                + "https://www.12377.cn (PIPL art. 50, 65)";

        public Options {
            linkHours = linkHours == null ? 24 : linkHours;
            complaintChannel = complaintChannel == null || complaintChannel.isBlank() ? COMPLAINT : complaintChannel;
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
        // The core provides the configured working days and cancellations; a test context may lack them.
        WorkingCalendar calendar = ctx.find(WorkingCalendar.class).orElseGet(WorkingCalendar::official);
        CancellationRequests cancelling = ctx.find(CancellationRequests.class).orElse(null);
        RightsDeadlines deadlines = new RightsDeadlines(store, cancelling, calendar);
        RightsCorrections corrections = new RightsCorrections(ctx, store, deadlines);
        RightsCancellations cancellations = cancelling == null ? null
                : new RightsCancellations(ctx, cancelling, options, calendar);
        RightsIqHandler handler = new RightsIqHandler(ctx, store, options, corrections, cancellations, deadlines);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, RightsIqHandler.NS, "export"), handler::export);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, RightsIqHandler.NS, "correction"), handler::correction);
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, RightsIqHandler.NS, "requests"), handler::requests);
        if (cancellations != null) {
            ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, RightsIqHandler.NS, "cancel"), cancellations::cancel);
            ctx.addCommand(new RightsCancellations.Command(ctx, cancelling));
        }
        ctx.onHttp(RightsHttp.PREFIX, new RightsHttp(ctx, store));
        ctx.addFeature(DiscoScope.ACCOUNT, RightsIqHandler.NS);
        ctx.addCommand(new RightsCommands.Open(ctx, store, corrections));
        ctx.addCommand(new RightsCommands.Respond(ctx, store, corrections));
        ctx.addCommand(new RightsCommands.Read(ctx, store, corrections));
        ctx.subjectData(new RightsSubjectData(store, corrections));
        // Expired links lose their token at once; the records go after request-retention-days.
        // Open requests are never purged; each purge also reports those past their deadline or the
        // 15-working-day cap, and cancellations not erased in time (AC-26, AC-14).
        ctx.retention("rights-request", Duration.ofDays(options.requestRetentionDays()), (now, cutoff) -> {
            deadlines.report(now);
            return store.purge(now, cutoff);
        }, store::oldest);
    }
}
