package im.tongyou.server.feature.mam;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.Verdict;
import im.tongyou.api.roster.Roster;
import im.tongyou.server.feature.offline.OfflineStorage;
import java.time.Duration;
import java.util.Set;
import org.xmpp.packet.JID;

/** Message archive management (XEP-0313 with its extended features), stanza ids (XEP-0359), preferences (XEP-0441), retention. */
public final class MamPlugin implements Plugin {

    /** Archiving runs after blocking; the sender's id is hidden after carbons ({@code CarbonsPlugin.ORDER}). */
    public static final int ORDER = 100;
    public static final int HIDE_ORDER = 900;
    /**
     * In OFFLINE, before offline storage (100), so that the stored copy carries the stanza-id; only
     * what offline storage then takes ({@link OfflineStorage}).
     */
    public static final int OFFLINE_ORDER = 50;

    /**
     * Options.
     *
     * @param retentionDays days archives keep messages; users may choose fewer
     * @param defaultMode   what is archived for users who set no preferences: always, never or roster
     * @param maxPageSize   the most results in one page of a query
     */
    public record Options(Integer retentionDays, String defaultMode, Integer maxPageSize) {
        public Options {
            retentionDays = retentionDays == null ? 180 : retentionDays;
            defaultMode = defaultMode == null ? "always" : defaultMode;
            maxPageSize = maxPageSize == null ? 250 : maxPageSize;
            if (retentionDays < 1) {
                throw new IllegalArgumentException("retention-days must be at least 1");
            }
            if (MamPrefs.Mode.parse(defaultMode) == null) {
                throw new IllegalArgumentException("default-mode must be always, never or roster");
            }
            if (maxPageSize < 1 || maxPageSize > 1000) {
                throw new IllegalArgumentException("max-page-size must be between 1 and 1000");
            }
        }
    }

    @Override
    public String id() {
        return "mam";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/mam/changelog.xml");
        Options options = ctx.config(Options.class);
        MamPrefs.Mode mode = MamPrefs.Mode.parse(options.defaultMode());
        MamStore store = new MamStore(ctx.dataSource(), ctx.crypto());
        MamPrefsStore prefs = new MamPrefsStore(ctx.dataSource());
        MamIds ids = new MamIds(ctx.clock(), store.maxId());
        Roster roster = ctx.require(Roster.class);
        MamWriter writer = new MamWriter(ctx.dataSource(), ids, store);
        ctx.closeOnStop(writer); // after the interceptors that feed it are removed
        ctx.acknowledgementFence(writer::fence);
        MamArchiver archiver = new MamArchiver(ctx.domain(), writer,
                prefs, mode, (owner, contact) -> roster.item(owner, contact).isPresent(), to -> reachable(ctx, to));
        ctx.onMessage(Phase.PRE_ROUTE, ORDER, archiver::outgoing);
        ctx.onMessage(Phase.PRE_ROUTE, HIDE_ORDER, archiver::hideSenderId);
        ctx.onMessage(Phase.DELIVER, ORDER, archiver::incoming);
        // XEP-0160 §2: a message offline storage refuses goes back to its sender as an error, so it
        // is not the recipient's either; without offline storage, RFC 6121 §8.5.2.2.1 refuses them all.
        ctx.onMessage(Phase.OFFLINE, OFFLINE_ORDER, m -> ctx.find(OfflineStorage.class)
                .filter(offline -> offline.accepts(m)).isPresent() ? archiver.incoming(m) : Verdict.CONTINUE);

        MamIqHandler handler = new MamIqHandler(store, prefs, mode, ctx.sessions(), options.maxPageSize(), writer::fence);
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, MamQuery.NS, "query"), handler::form);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, MamQuery.NS, "query"), handler::query);
        ctx.onIq(IqRoute.set(IqTarget.USER, MamQuery.NS, "query"), handler::forbidden);
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, MamQuery.NS, "metadata"), handler::metadata);
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, MamQuery.NS, "prefs"), handler::getPrefs);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, MamQuery.NS, "prefs"), handler::setPrefs);
        MamRetention retention = new MamRetention(store, prefs, ctx.clock(), options.retentionDays(), writer::fence);
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, MamRetention.NS, "retention"), retention::get);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, MamRetention.NS, "retention"), retention::set);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, MamRetention.NS, "purge"), retention::purge);
        for (String feature : new String[] {MamQuery.NS, MamQuery.NS + "#extended", StanzaIds.NS, MamRetention.NS}) {
            ctx.addFeature(DiscoScope.ACCOUNT, feature); // XEP-0313 §7: on the archive's address
        }
        ctx.subjectData(new MamSubjectData(store, prefs, ctx.domain(), writer::fence));
        ctx.executor().execute(retention::enforce);
        // The server's period (users may choose less); the retention registry schedules the purge.
        ctx.retention("archive", Duration.ofDays(options.retentionDays()), (now, cutoff) -> retention.enforce(),
                () -> java.util.Optional.ofNullable(store.oldest()).map(s -> MamIds.stampOf(s.id())));
        ctx.retentionForAccountLifetime("archive-preferences", java.util.Optional::empty);
    }

    /** Whether a message's addressee exists: a local account, or one of the server's services. */
    private static boolean reachable(PluginContext ctx, JID to) {
        if (ctx.domain().equals(to.getDomain())) {
            return to.getNode() != null && (!ctx.sessions().of(to.getNode()).isEmpty() || ctx.accounts().exists(to.getNode()));
        }
        return ctx.discoInfo().serverItems().stream().anyMatch(item -> item.jid().getDomain().equals(to.getDomain()));
    }
}
