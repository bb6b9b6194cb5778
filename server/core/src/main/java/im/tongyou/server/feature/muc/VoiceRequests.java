package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import java.util.HashMap;
import java.util.Map;
import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError.Condition;

/**
 * Voice requests in moderated rooms (XEP-0045 §7.13 requesting voice, §8.6 approving): a visitor's
 * muc#request form goes to the moderators as an approval form; a moderator's submitted approval
 * grants voice. Called with the room's lock held.
 */
final class VoiceRequests {

    private final RoomActions actions;

    VoiceRequests(RoomActions actions) {
        this.actions = actions;
    }

    void handle(Room room, Message message) throws StanzaErrorException {
        Map<String, String> fields = fields(message.getChildElement("x", Muc.NS_DATA));
        if (!Muc.NS_REQUEST.equals(fields.get("FORM_TYPE"))) {
            throw new StanzaErrorException(Condition.bad_request, "unknown form");
        }
        Occupant sender = room.occupantBySession(message.getFrom());
        if (sender == null) {
            throw new StanzaErrorException(Condition.not_acceptable, "you are not in the room");
        }
        if (fields.containsKey("muc#request_allow")) {
            approve(room, sender, fields);
        } else {
            request(room, sender, message.getFrom());
        }
    }

    /** §7.13: "the data form contains only a muc#role field with a value of participant". */
    private static void request(Room room, Occupant visitor, JID session) {
        if (visitor.role() != Role.VISITOR) {
            return; // it already has voice
        }
        for (Occupant moderator : room.occupants()) {
            if (moderator.role() != Role.MODERATOR) {
                continue;
            }
            for (JID to : moderator.sessions()) {
                Message m = new Message();
                m.setFrom(room.jid());
                m.setTo(to);
                m.setID(MucStanzas.newId());
                Element form = m.getElement().addElement("x", Muc.NS_DATA).addAttribute("type", "form");
                form.addElement("title").setText("Voice request");
                form.addElement("instructions").setText("To approve this request for voice, select the "
                        + "\"Grant voice to this person?\" checkbox and click OK. To skip this request, click cancel.");
                field(form, "FORM_TYPE", "hidden", null, Muc.NS_REQUEST);
                field(form, "muc#role", "list-single", "Requested role", "participant");
                field(form, "muc#jid", "jid-single", "User ID", session.toString());
                field(form, "muc#roomnick", "text-single", "Room Nickname", visitor.nick());
                field(form, "muc#request_allow", "boolean", "Grant voice to this person?", "false");
                room.outbox.send(m);
            }
        }
    }

    /** §8.6: "If a moderator approves the voice request, the service shall grant voice to the occupant". */
    private void approve(Room room, Occupant moderator, Map<String, String> fields) throws StanzaErrorException {
        if (moderator.role() != Role.MODERATOR) {
            throw new StanzaErrorException(Condition.forbidden, "only moderators approve voice requests");
        }
        String allow = fields.get("muc#request_allow");
        if (!"true".equals(allow) && !"1".equals(allow)) {
            return;
        }
        String nick = fields.get("muc#roomnick");
        Occupant visitor = nick == null ? null : room.occupant(nick);
        if (visitor != null && visitor.role() == Role.VISITOR) {
            actions.setRole(room, visitor, Role.PARTICIPANT, null,
                    new MucStanzas.Item(null, null, moderator.nick(), null));
        }
    }

    private static void field(Element form, String var, String type, String label, String value) {
        Element f = form.addElement("field").addAttribute("var", var).addAttribute("type", type);
        if (label != null) {
            f.addAttribute("label", label);
        }
        f.addElement("value").setText(value);
    }

    /** The first value of each field of a submitted form. */
    static Map<String, String> fields(Element form) {
        Map<String, String> values = new HashMap<>();
        if (form != null) {
            for (Element f : form.elements("field")) {
                String var = f.attributeValue("var");
                if (var != null) {
                    values.put(var, f.elementText("value"));
                }
            }
        }
        return values;
    }
}
