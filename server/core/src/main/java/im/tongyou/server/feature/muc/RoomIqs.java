package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError.Condition;

/**
 * IQs to the service, to rooms and to occupant JIDs (XEP-0045 §17.4): discovery, muc#admin,
 * muc#owner, pings (XEP-0199, and XEP-0410 self-pings answered by the service), and IQs between
 * occupants, which the room forwards without revealing real JIDs.
 */
final class RoomIqs {

    private final MucContext ctx;
    private final MucDisco disco;
    private final AdminIqHandler admin;
    private final OwnerIqHandler owner;

    RoomIqs(MucContext ctx, RoomActions actions) {
        this.ctx = ctx;
        this.disco = new MucDisco(ctx);
        this.admin = new AdminIqHandler(actions);
        this.owner = new OwnerIqHandler(ctx, actions);
    }

    /** IQs to the service's own address. */
    void service(IQ iq) throws StanzaErrorException {
        if (iq.getType() != IQ.Type.get && iq.getType() != IQ.Type.set) {
            return;
        }
        String ns = namespace(iq);
        if (iq.getType() == IQ.Type.get && Muc.NS_DISCO_INFO.equals(ns)) {
            ctx.router().route(disco.serviceInfo(iq));
        } else if (iq.getType() == IQ.Type.get && Muc.NS_DISCO_ITEMS.equals(ns)) {
            ctx.router().route(disco.serviceItems(iq));
        } else if (iq.getType() == IQ.Type.get && Muc.NS_PING.equals(ns)) {
            ctx.router().route(IQ.createResultIQ(iq));
        } else {
            throw StanzaErrorException.serviceUnavailable();
        }
    }

    /** IQ get or set to a room's bare JID; the room's lock is held. */
    void room(Room room, IQ iq) throws StanzaErrorException {
        String ns = namespace(iq);
        boolean get = iq.getType() == IQ.Type.get;
        if (room.isLocked() && room.affiliationOf(iq.getFrom()) != Affiliation.OWNER) {
            throw StanzaErrorException.itemNotFound("no such room"); // §7.2.11: a locked room does not exist yet
        }
        if (Muc.NS_DISCO_INFO.equals(ns) && get) {
            room.outbox.send(disco.roomInfo(room, iq));
        } else if (Muc.NS_DISCO_ITEMS.equals(ns) && get) {
            room.outbox.send(disco.roomItems(room, iq));
        } else if (Muc.NS_ADMIN.equals(ns)) {
            if (get) {
                admin.get(room, iq);
            } else {
                admin.set(room, iq);
            }
        } else if (Muc.NS_OWNER.equals(ns)) {
            if (get) {
                owner.get(room, iq);
            } else {
                owner.set(room, iq);
            }
        } else if (Muc.NS_PING.equals(ns) && get) {
            room.outbox.send(IQ.createResultIQ(iq));
        } else if (Muc.NS_REGISTER.equals(ns)) {
            // §7.10: membership is granted by the room's admins; "If the user requesting registration
            // requirements is not allowed to register with the room ... the room MUST return a not-allowed error".
            throw new StanzaErrorException(Condition.not_allowed, "ask the room's admins for membership");
        } else {
            throw StanzaErrorException.serviceUnavailable();
        }
    }

    /**
     * IQ get or set to an occupant JID; the room's lock is held. §6.6: "If a non-occupant attempts to
     * send a disco request to an address of the form room@service/nick, a MUC service MUST return a
     * bad-request error". An occupant's self-ping is answered at once (XEP-0410 §4.2); other IQs go
     * to the addressed occupant "from" the asker's occupant JID (§17.4: "the MUC service MUST NOT
     * reveal the sender's real JID to the recipient").
     */
    void occupant(Room room, IQ iq) throws StanzaErrorException {
        Occupant asker = room.occupantBySession(iq.getFrom());
        if (asker == null) {
            throw new StanzaErrorException(Condition.bad_request, "you are not in the room");
        }
        String nick = iq.getTo().getResource();
        if (Muc.NS_PING.equals(namespace(iq)) && Room.nickKey(nick).equals(Room.nickKey(asker.nick()))) {
            room.outbox.send(IQ.createResultIQ(iq));
            return;
        }
        Occupant target = room.occupant(nick);
        if (target == null) {
            throw StanzaErrorException.itemNotFound("no such occupant");
        }
        IQ forwarded = iq.createCopy();
        forwarded.setFrom(room.occupantJid(asker.nick()));
        forwarded.setTo(target.primaryJid());
        room.forwarded(target.primaryJid(), iq.getID(), iq.getFrom());
        room.outbox.send(forwarded);
    }

    /** An answer to an IQ the room forwarded: back to the session that asked, from the answerer's occupant JID. */
    void answer(IQ iq) {
        JID to = iq.getTo();
        Room room = to.getNode() == null || to.getResource() == null ? null : ctx.rooms().find(to.getNode());
        if (room == null) {
            return;
        }
        try {
            ctx.locked(room, () -> {
                Occupant answerer = room.occupantBySession(iq.getFrom());
                JID askerSession = room.asker(iq.getFrom(), iq.getID());
                Occupant asker = askerSession == null ? null : room.occupantBySession(askerSession);
                if (answerer != null && asker != null && Room.nickKey(asker.nick()).equals(Room.nickKey(to.getResource()))) {
                    IQ forwarded = iq.createCopy();
                    forwarded.setFrom(room.occupantJid(answerer.nick()));
                    forwarded.setTo(askerSession);
                    room.outbox.send(forwarded);
                }
            });
        } catch (StanzaErrorException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String namespace(IQ iq) {
        Element child = iq.getChildElement();
        return child == null ? "" : child.getNamespaceURI();
    }
}
