package im.tongyou.server.feature.adhoc;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionEvent;
import java.time.Duration;

/**
 * Ad-hoc commands (XEP-0050) on the server: discovery of the commands that plugins register with
 * {@link PluginContext#addCommand}, and their execution in sessions.
 */
public final class AdHocPlugin implements Plugin {

    /**
     * Options.
     *
     * @param sessionTimeoutSeconds idle time after which a command session ends (at least 10)
     * @param maxSessionsPerUser    open sessions one full JID may have at once
     */
    public record Options(Integer sessionTimeoutSeconds, Integer maxSessionsPerUser) {
        public Options {
            sessionTimeoutSeconds = sessionTimeoutSeconds == null ? 600 : sessionTimeoutSeconds;
            maxSessionsPerUser = maxSessionsPerUser == null ? 10 : maxSessionsPerUser;
            if (sessionTimeoutSeconds < 10) {
                throw new IllegalArgumentException("session-timeout-seconds must be at least 10");
            }
            if (maxSessionsPerUser < 1) {
                throw new IllegalArgumentException("max-sessions-per-user must be at least 1");
            }
        }
    }

    @Override
    public String id() {
        return "adhoc";
    }

    @Override
    public void start(PluginContext ctx) {
        Options options = ctx.config(Options.class);
        AdHocSessions sessions = new AdHocSessions(ctx.clock(), Duration.ofSeconds(options.sessionTimeoutSeconds()),
                options.maxSessionsPerUser());
        AdHocIqHandler handler = new AdHocIqHandler(ctx.commands(), sessions);
        ctx.onIq(IqRoute.set(IqTarget.SERVER, AdHocElement.NS, "command"), handler::execute);
        ctx.onDiscoNode(new AdHocDiscoNodes(ctx.commands(), ctx.domain()));
        ctx.addFeature(DiscoScope.SERVER, AdHocElement.NS);
        ctx.onSessionEvent(event -> {
            if (event instanceof SessionEvent.Closed closed) {
                sessions.endAllOf(closed.session().jid());
            }
        });
        ctx.executor().every(Duration.ofMinutes(1), sessions::expire);
    }
}
