package im.tongyou.server.feature.presence;

import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionEvent;
import im.tongyou.api.roster.Roster;
import java.util.Set;

/**
 * Presence (RFC 6121 §4): initial presence with probes, broadcast to subscribers and the user's own
 * resources, probes answered on behalf of local contacts, directed presence, and unavailable
 * presence when a session ends, cleanly or not.
 */
public final class PresencePlugin implements Plugin {

    /** Where presence runs among presence interceptors: after blocking and subscriptions. */
    public static final int ORDER = 200;

    @Override
    public String id() {
        return "presence";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public void start(PluginContext ctx) {
        PresenceBroadcaster broadcaster = new PresenceBroadcaster(ctx, ctx.require(Roster.class));
        ctx.onPresence(Phase.PRE_ROUTE, ORDER, broadcaster::intercept);
        ctx.onSessionEvent(event -> {
            if (event instanceof SessionEvent.Closed closed) {
                broadcaster.closed(closed.session(), closed.wasAvailable());
            }
        });
    }
}
