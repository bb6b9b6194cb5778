package im.tongyou.server.feature.muc;

import im.tongyou.api.ServiceHandler;
import im.tongyou.api.StanzaErrorException;
import java.time.Duration;
import java.util.Set;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/**
 * The chat service on {@code conference.<domain>} (XEP-0045): takes every stanza to the service, a
 * room or an occupant JID, finds the room, and hands the stanza to the part that handles it with
 * the room's lock held. Errors go back from the address the stanza went to, "by" the room.
 */
final class MucService implements ServiceHandler {

    /**
     * Delivery errors after which an occupant counts as gone ("Ghost Users", §17.3.2), the list
     * Prosody uses; the session is removed with status 333 (§12.1).
     */
    private static final Set<Condition> GONE = Set.of(Condition.gone, Condition.item_not_found,
            Condition.recipient_unavailable, Condition.redirect, Condition.remote_server_not_found,
            Condition.remote_server_timeout, Condition.service_unavailable, Condition.internal_server_error,
            Condition.jid_malformed);

    private final MucContext ctx;
    private final RoomActions actions;
    private final OccupantPresence presence;
    private final RoomMessages messages;
    private final RoomIqs iqs;

    MucService(MucContext ctx) {
        this.ctx = ctx;
        this.actions = new RoomActions(ctx);
        this.presence = new OccupantPresence(ctx, actions);
        this.messages = new RoomMessages(ctx, actions);
        this.iqs = new RoomIqs(ctx, actions);
    }

    RoomActions actions() {
        return actions;
    }

    @Override
    public void handle(Packet stanza) {
        if ("error".equals(stanza.getElement().attributeValue("type"))) {
            if (stanza instanceof IQ iq) {
                iqs.answer(iq);
            } else {
                gone(stanza);
            }
            return;
        }
        try {
            JID to = stanza.getTo();
            if (to.getNode() == null) {
                service(stanza);
            } else if (to.getResource() == null) {
                room(stanza);
            } else {
                occupant(stanza);
            }
        } catch (StanzaErrorException e) {
            if (!(stanza instanceof IQ iq && iq.getType() == IQ.Type.result)) {
                JID by = stanza.getTo().getNode() == null ? null : stanza.getTo().asBareJID();
                ctx.router().route(MucStanzas.error(stanza, by, e.condition(), e.type(), e.text()));
            }
        }
    }

    /** The service's own address: discovery and ping; nothing else is offered there. */
    private void service(Packet stanza) throws StanzaErrorException {
        if (stanza instanceof IQ iq) {
            iqs.service(iq);
        } else if (stanza instanceof Message m && m.getType() != Message.Type.headline) {
            throw StanzaErrorException.serviceUnavailable();
        }
    }

    private void room(Packet stanza) throws StanzaErrorException {
        Room room = ctx.rooms().find(stanza.getTo().getNode());
        if (stanza instanceof IQ iq) {
            if (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set) {
                run(room, () -> iqs.room(room, iq));
            }
        } else if (stanza instanceof Message m) {
            if (m.getType() != Message.Type.headline) {
                // §17.2: "a message directed to a room that does not exist or is not yet unlocked" gets item-not-found.
                run(room, () -> {
                    if (room.isLocked() && room.occupantBySession(m.getFrom()) == null) {
                        throw StanzaErrorException.itemNotFound("no such room");
                    }
                    if (m.getType() == Message.Type.groupchat) {
                        messages.groupchat(room, m);
                    } else {
                        messages.normal(room, m);
                    }
                });
            }
        } else if (stanza instanceof Presence p && p.getType() == null) {
            // §7.2.1: "If the user does not specify a room nickname ... the service MUST return a jid-malformed error".
            throw new StanzaErrorException(Condition.jid_malformed, "enter a room with a nickname: room@service/nick");
        }
    }

    private void occupant(Packet stanza) throws StanzaErrorException {
        String id = stanza.getTo().getNode();
        Room room = ctx.rooms().find(id);
        if (stanza instanceof Presence p) {
            if (p.getType() == Presence.Type.unavailable) {
                if (room != null) {
                    ctx.locked(room, () -> presence.exit(room, p.getFrom(), p, p.getID()));
                }
            } else if (p.getType() == null) {
                available(p);
            }
        } else if (stanza instanceof Message m) {
            run(room, () -> messages.toOccupant(room, m));
        } else if (stanza instanceof IQ iq) {
            if (iq.getType() == IQ.Type.result) {
                iqs.answer(iq);
            } else {
                run(room, () -> iqs.occupant(room, iq));
            }
        }
    }

    /** Entering (and, for a room that does not exist, creating, §10.1.1) or presence in the room. */
    private void available(Presence p) throws StanzaErrorException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Room room = ctx.rooms().find(p.getTo().getNode());
            if (room != null) {
                if (ctx.locked(room, () -> presence.available(room, p, false))) {
                    return;
                }
            } else if (create(p)) {
                return;
            }
        }
        throw new StanzaErrorException(Condition.resource_constraint, "the room is changing, try again");
    }

    /**
     * §7.2.12: "If the room does not already exist when the user seeks to enter it, the service SHOULD
     * create it; however ... an implementation or deployment MAY choose to restrict the privilege of
     * creating rooms" (then not-allowed, §10.1.1). Returns false when someone else created it meanwhile.
     */
    private boolean create(Presence p) throws StanzaErrorException {
        if (p.getChildElement("x", Muc.NS) == null) {
            ctx.router().route(OccupantPresence.notInRoom(p));
            return true;
        }
        JID from = p.getFrom();
        String id = p.getTo().getNode();
        MucOptions options = ctx.options();
        boolean admin = ctx.serverAdmin().test(from);
        if (!ctx.isLocal(from) || (options.adminsOnlyCreate() && !admin)) {
            throw new StanzaErrorException(Condition.not_allowed, "you may not create rooms on this service");
        }
        if (id.codePointCount(0, id.length()) > options.maxRoomIdLength()
                || (!options.roomIdPattern().isEmpty() && !id.matches(options.roomIdPattern()))) {
            throw new StanzaErrorException(Condition.not_allowed, "this service does not allow such a room address");
        }
        presence.checkNick(p.getTo().getResource());
        if (!admin && ctx.rooms().ownedBy(from.toBareJID()) >= options.maxRoomsPerUser()) {
            throw new StanzaErrorException(Condition.not_allowed, "you own as many rooms as you may");
        }
        Room room = ctx.rooms().create(id, from, RoomConfig.defaults(options.roomDefaults()), ctx.now());
        if (room == null) {
            return false;
        }
        try {
            ctx.locked(room, () -> presence.available(room, p, true));
        } finally {
            ctx.locked(room, () -> actions.afterExit(room)); // a room its creator could not enter goes at once
        }
        ctx.scheduler().accept(() -> expire(room), Duration.ofSeconds(options.unconfiguredRoomTimeoutSeconds()));
        return true;
    }

    /** Destroys a room still awaiting its initial configuration ("deleting rooms if they remain in the unconfigured state for too long", §18.6). */
    private void expire(Room room) {
        try {
            ctx.locked(room, () -> {
                if (room.isLocked()) {
                    actions.destroy(room, null, "The room was not configured in time.", null, null);
                }
            });
        } catch (StanzaErrorException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An error in answer to what a room sent (§17.3.2 "Ghost Users"): "a MUC service SHOULD remove a
     * user if the service receives a delivery-related error in relation to a stanza it has
     * previously sent to the user".
     */
    private void gone(Packet error) {
        JID to = error.getTo();
        Room room = to.getNode() == null ? null : ctx.rooms().find(to.getNode());
        PacketError e = error.getError();
        if (room == null || (e != null && !GONE.contains(e.getCondition()))) {
            return;
        }
        try {
            ctx.locked(room, () -> presence.exit(room, error.getFrom(), null, null, Muc.STATUS_ERROR));
        } catch (StanzaErrorException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A client session ended or went unavailable: it leaves every room it was in (§7.14). */
    void sessionGone(JID session) {
        for (Room room : ctx.rooms().roomsOf(session)) {
            try {
                ctx.locked(room, () -> presence.exit(room, session, null, null));
            } catch (StanzaErrorException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Runs work on an existing room, or answers item-not-found when there is no such room (any more). */
    private void run(Room room, MucContext.RoomWork work) throws StanzaErrorException {
        if (room == null || !ctx.locked(room, work)) {
            throw StanzaErrorException.itemNotFound("no such room");
        }
    }
}
