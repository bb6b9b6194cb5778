package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.SubjectDataProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The personal data of the chat service (design guide §6): a user's affiliations with rooms
 * ({@code muc_affiliation}, and in memory for temporary rooms) and, in memory only, the messages of
 * the discussion history they wrote.
 *
 * <p>Erasure removes the user's affiliations and history messages. A room the user owns alone is
 * not left without an owner ("Every room MUST have at least one owner", XEP-0045 §10): ownership
 * passes to the room's longest-standing admin, who already runs the room; a room with no admin is
 * destroyed (its occupants get the §10.9 destroy presence), since no one else has the right to
 * decide about it.
 */
final class MucSubjectData implements SubjectDataProvider {

    private final MucContext ctx;
    private final RoomActions actions;

    MucSubjectData(MucContext ctx, RoomActions actions) {
        this.ctx = ctx;
        this.actions = actions;
    }

    @Override
    public String name() {
        return "muc";
    }

    @Override
    public String purpose() {
        return "Group chat (XEP-0045): the user's room affiliations and the persistent rooms they own (core IM, contract).";
    }

    @Override
    public Set<String> tables() {
        return Set.of("muc_affiliation", "muc_room");
    }

    @Override
    public Map<String, Object> export(String username) {
        String bare = username + "@" + ctx.domain();
        List<Map<String, Object>> affiliations = new ArrayList<>();
        for (Room room : ctx.rooms().all()) {
            locked(room, () -> {
                AffiliationEntry e = room.entry(bare);
                if (e != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("room", room.jid().toBareJID());
                    m.put("affiliation", e.affiliation().value());
                    m.put("nick", e.nick());
                    m.put("reason", e.reason());
                    m.put("granted-at", e.grantedAt().toString());
                    m.put("persistent", room.config().persistent());
                    affiliations.add(m);
                }
            });
        }
        affiliations.sort(Comparator.comparing(m -> (String) m.get("room")));
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("affiliations", affiliations);
        return export;
    }

    @Override
    public void erase(String username) {
        String bare = username + "@" + ctx.domain();
        for (Room room : ctx.rooms().all()) {
            locked(room, () -> erase(room, bare));
        }
        ctx.store().deleteAffiliationsOf(bare);
    }

    private void erase(Room room, String bare) {
        room.history().removeSender(bare);
        for (Occupant o : room.occupantsOf(new org.xmpp.packet.JID(bare))) {
            actions.remove(room, o, room.affiliationOf(o.bareJid()), MucStanzas.Item.EMPTY, null);
        }
        AffiliationEntry entry = room.entry(bare);
        if (entry == null || room.isDestroyed()) {
            return;
        }
        if (entry.affiliation() == Affiliation.OWNER && room.affiliations(Affiliation.OWNER).size() == 1) {
            AffiliationEntry successor = room.affiliations(Affiliation.ADMIN).stream()
                    .min(Comparator.comparing(AffiliationEntry::grantedAt)).orElse(null);
            if (successor == null) {
                actions.destroy(room, null, "The room's owner closed their account.", null, null);
                return;
            }
            actions.setAffiliation(room, successor.jid(), Affiliation.OWNER, null, null, MucStanzas.Item.EMPTY);
        }
        actions.setAffiliation(room, bare, Affiliation.NONE, "", null, MucStanzas.Item.EMPTY);
    }

    private void locked(Room room, MucContext.RoomWork work) {
        try {
            ctx.locked(room, work);
        } catch (StanzaErrorException e) {
            throw new IllegalStateException(e);
        }
    }
}
