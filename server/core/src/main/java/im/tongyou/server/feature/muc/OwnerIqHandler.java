package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError.Condition;

/**
 * The muc#owner protocol (XEP-0045 §10): the configuration form of new rooms (§10.1, instant and
 * reserved rooms) and existing ones (§10.2), and room destruction (§10.9). Only owners: "If the
 * user@host of the 'from' address does not match the bare JID of a room owner, the service MUST
 * return a forbidden error". Called with the room's lock held.
 */
final class OwnerIqHandler {

    private final MucContext ctx;
    private final RoomActions actions;

    OwnerIqHandler(MucContext ctx, RoomActions actions) {
        this.ctx = ctx;
        this.actions = actions;
    }

    void get(Room room, IQ iq) throws StanzaErrorException {
        requireOwner(room, iq);
        IQ result = IQ.createResultIQ(iq);
        result.setChildElement("query", Muc.NS_OWNER).add(RoomConfigForm.form(room, ctx.options()));
        room.outbox.send(result);
    }

    void set(Room room, IQ iq) throws StanzaErrorException {
        requireOwner(room, iq);
        Element query = iq.getChildElement();
        Element destroy = query.element("destroy");
        Element form = query.element(org.dom4j.QName.get("x", Muc.NS_DATA));
        if (destroy != null) {
            destroy(room, destroy);
        } else if (form != null && "submit".equals(form.attributeValue("type"))) {
            configure(room, RoomConfigForm.apply(room.config(), form, ctx.options()));
        } else if (form != null && "cancel".equals(form.attributeValue("type"))) {
            if (room.isLocked()) {
                // §10.1.3: "If the room owner cancels the initial configuration, the service MUST destroy the room".
                actions.destroy(room, null, null, null, null);
            } // §10.2: otherwise "the service MUST leave the configuration of the room as it was".
        } else {
            throw new StanzaErrorException(Condition.bad_request, "submit or cancel a form, or destroy the room");
        }
        room.outbox.send(IQ.createResultIQ(iq));
    }

    /** §10.9: the alternate venue, its password and the reason go to every occupant. */
    private void destroy(Room room, Element destroy) throws StanzaErrorException {
        JID alternate = null;
        String venue = destroy.attributeValue("jid");
        if (venue != null && !venue.isEmpty()) {
            try {
                alternate = new JID(venue).asBareJID();
            } catch (IllegalArgumentException e) {
                throw new StanzaErrorException(Condition.jid_malformed, "the alternate venue is not a valid JID");
            }
        }
        actions.destroy(room, alternate, destroy.elementText("reason"), destroy.elementText("password"), null);
    }

    /**
     * Applies a new configuration: unlocks a new room (§10.1.2 and §10.1.3), stores or forgets a room
     * that became persistent or temporary, removes non-members when the room became members-only
     * (status 322, §10.2), and tells the occupants: 172 or 173 when real JIDs became visible to all
     * or hidden again, 104 for other changes (§10.2.1).
     */
    private void configure(Room room, RoomConfig config) {
        RoomConfig old = room.config();
        boolean initial = room.isLocked();
        room.config(config);
        if (initial) {
            room.unlock();
            if (config.persistent()) {
                ctx.store().insertRoom(room.id(), config, room.subject(), room.createdAt(), room.allAffiliations());
            }
            return;
        }
        if (config.persistent() && !old.persistent()) {
            ctx.store().insertRoom(room.id(), config, room.subject(), room.createdAt(), room.allAffiliations());
        } else if (!config.persistent() && old.persistent()) {
            ctx.store().deleteRoom(room.id());
        } else if (config.persistent()) {
            ctx.store().updateConfig(room.id(), config);
        }
        if (config.membersOnly() && !old.membersOnly()) {
            for (Occupant o : room.occupants()) {
                Affiliation a = room.affiliationOf(o.bareJid());
                if (!a.atLeast(Affiliation.MEMBER)) {
                    actions.remove(room, o, a, MucStanzas.Item.EMPTY, null, Muc.STATUS_MEMBERS_ONLY);
                }
            }
        }
        if (config.nonAnonymous() != old.nonAnonymous()) {
            Broadcasts.status(room, config.nonAnonymous() ? Muc.STATUS_NOW_NON_ANONYMOUS : Muc.STATUS_NOW_SEMI_ANONYMOUS);
        } else if (!config.equals(old)) {
            Broadcasts.status(room, Muc.STATUS_CONFIG_CHANGED);
        }
        actions.afterExit(room);
    }

    private static void requireOwner(Room room, IQ iq) throws StanzaErrorException {
        if (room.affiliationOf(iq.getFrom()) != Affiliation.OWNER) {
            throw new StanzaErrorException(Condition.forbidden, "only the room's owners may do this");
        }
    }
}
