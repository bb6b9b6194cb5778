package im.tongyou.server.feature.lastactivity;

import im.tongyou.api.ClientSession;
import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.SessionKey;
import im.tongyou.api.roster.Roster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/** Last Activity (XEP-0012): the server's uptime and, for contacts, the time since a user logged out. */
public final class LastActivityPlugin implements Plugin {

    private static final SessionKey<String> UNAVAILABLE_STATUS = SessionKey.of("lastactivity.status");
    private static final int MAX_STATUS_CHARS = 1024;
    /** How long logouts gather before they are written in one transaction. */
    private static final Duration FLUSH_DELAY = Duration.ofMillis(200);

    @Override
    public String id() {
        return "lastactivity";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/lastactivity/changelog.xml");
        LastActivityStore store = new LastActivityStore(ctx.dataSource(), task -> ctx.executor().schedule(task, FLUSH_DELAY));
        ctx.closeOnStop(store);
        LastActivityIqHandler handler = new LastActivityIqHandler(ctx, store, ctx.require(Roster.class),
                ctx.clock().instant());
        ctx.onIq(IqRoute.get(IqTarget.SERVER, LastActivityIqHandler.NS, "query"), handler::uptime);
        ctx.onIq(IqRoute.get(IqTarget.USER, LastActivityIqHandler.NS, "query"), handler::user);
        ctx.onIqStanza(Phase.PRE_ROUTE, 0, handler::fullJid);
        ctx.onSessionEvent(event -> {
            if (event instanceof SessionEvent.PresenceChanged changed && !changed.presence().isAvailable()) {
                String status = changed.presence().getStatus();
                changed.session().set(UNAVAILABLE_STATUS, status == null ? "" : truncate(status));
            } else if (event instanceof SessionEvent.PresenceChanged changed) {
                changed.session().set(UNAVAILABLE_STATUS, null);
            } else if (event instanceof SessionEvent.Closed closed) {
                loggedOut(ctx, store, closed.session());
            }
        });
        ctx.addFeature(DiscoScope.SERVER, LastActivityIqHandler.NS);
        ctx.addFeature(DiscoScope.ACCOUNT, LastActivityIqHandler.NS);
        ctx.subjectData(new LastActivitySubjectData(ctx, store));
        ctx.retentionForAccountLifetime("last-activity",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "lastactivity", "logout_at"));
    }

    /** The last session of a user ended: that is the logout XEP-0012 §4 counts from. */
    private static void loggedOut(PluginContext ctx, LastActivityStore store, ClientSession session) {
        if (!ctx.sessions().of(session.username()).isEmpty() || !ctx.accounts().isEnabled(session.username())) {
            return; // still online, or the account is being removed: nothing to keep
        }
        String status = session.get(UNAVAILABLE_STATUS);
        byte[] encrypted = status == null || status.isEmpty() ? null
                : ctx.crypto().encrypt(session.username(), status.getBytes(StandardCharsets.UTF_8));
        store.save(session.username(), ctx.clock().instant(), encrypted);
    }

    private static String truncate(String status) {
        return status.length() > MAX_STATUS_CHARS ? status.substring(0, MAX_STATUS_CHARS) : status;
    }
}
