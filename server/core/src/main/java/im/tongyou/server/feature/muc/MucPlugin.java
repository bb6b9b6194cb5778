package im.tongyou.server.feature.muc;

import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.SessionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/** Group chat: a XEP-0045 Multi-User Chat service on {@code conference.<domain>}. */
public final class MucPlugin implements Plugin {

    private static final Logger log = LoggerFactory.getLogger(MucPlugin.class);

    @Override
    public String id() {
        return "muc";
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/muc/changelog.xml");
        MucOptions options = ctx.config(MucOptions.class);
        MucStore store = new MucStore(ctx.dataSource());
        JID service = new JID(null, options.subdomain() + "." + ctx.domain(), null);
        Rooms rooms = new Rooms(service.getDomain(), ctx.router());
        store.loadAll().forEach(rooms::load);
        MucContext muc = new MucContext(service, ctx.domain(), options, rooms, store, ctx.router(), ctx.clock(),
                ctx.accounts()::exists, ctx::isAdmin, (task, delay) -> ctx.executor().schedule(task, delay));
        MucService handler = new MucService(muc);
        ctx.addService(options.subdomain(), options.name(), handler);
        // Occupants whose session ends leave their rooms even when no unavailable presence reaches them (§7.14).
        ctx.onSessionEvent(event -> {
            if (event instanceof SessionEvent.Closed
                    || (event instanceof SessionEvent.PresenceChanged changed
                        && changed.presence().getType() == Presence.Type.unavailable)) {
                handler.sessionGone(event.session().jid());
            }
        });
        ctx.subjectData(new MucSubjectData(muc, handler.actions()));
        // Affiliations last as long as the room and the member's account; rooms as long as their owner keeps them.
        ctx.retentionForAccountLifetime("muc-affiliation",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "muc_affiliation", "granted_at"));
        ctx.retentionForAccountLifetime("muc-room",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "muc_room", "created_at"));
        log.info("chat rooms at {}: {} persistent rooms", service, rooms.all().size());
    }
}
