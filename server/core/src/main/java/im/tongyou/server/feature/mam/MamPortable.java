package im.tongyou.server.feature.mam;

import im.tongyou.server.feature.Forwarded;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

/**
 * A user's archive in the XEP-0227 portable format (§4.8, {@code urn:xmpp:pie:0#mam}): one XEP-0313
 * {@code <result/>} per message, with the archive's UID as id and the archiving time as the
 * forwarded message's delay, oldest first. An import keeps the UIDs and times.
 */
final class MamPortable {

    static final String NS = "urn:xmpp:pie:0#mam";
    static final String MAM = "urn:xmpp:mam:2";
    static final String FORWARD = "urn:xmpp:forward:0";
    static final String DELAY = "urn:xmpp:delay";
    private static final int PAGE = 500;

    private MamPortable() {
    }

    static void export(MamStore store, String username, Element user) {
        Element archive = null;
        long after = -1;
        List<MamStore.Stored> page;
        do {
            page = store.after(username, after, PAGE);
            for (MamStore.Stored s : page) {
                after = s.id();
                if (s.message() == null) {
                    continue; // no longer readable
                }
                if (archive == null) {
                    archive = user.addElement(QName.get("archive", NS));
                }
                Element result = archive.addElement(QName.get("result", MAM)).addAttribute("id", s.sid());
                Element forwarded = result.addElement(QName.get("forwarded", FORWARD));
                forwarded.addElement(QName.get("delay", DELAY)).addAttribute("stamp", MamIqHandler.stamp(s.id()));
                forwarded.add(Forwarded.copy(s.message().getElement()));
            }
        } while (page.size() == PAGE);
    }

    /**
     * The archive of a {@code <user/>} element; results without a message, a time or an id are
     * skipped. A message is the user's own (outgoing) when it comes from the user's bare JID on the
     * exporting host.
     */
    static List<MamSubjectStore.Imported> read(Element user) {
        List<MamSubjectStore.Imported> messages = new ArrayList<>();
        Element archive = user.element(QName.get("archive", NS));
        if (archive == null) {
            return messages;
        }
        Element host = user.getParent();
        String self = user.attributeValue("name") + "@" + (host == null ? "" : host.attributeValue("jid"));
        for (Element result : archive.elements(QName.get("result", MAM))) {
            Element forwarded = result.element(QName.get("forwarded", FORWARD));
            Element delay = forwarded == null ? null : forwarded.element(QName.get("delay", DELAY));
            Element message = forwarded == null ? null : forwarded.element("message");
            String sid = result.attributeValue("id");
            if (delay == null || message == null || sid == null || sid.length() > 32) {
                continue;
            }
            try {
                Instant stamp = Instant.parse(delay.attributeValue("stamp"));
                Message m = new Message(message.createCopy(), true);
                boolean outgoing = m.getFrom() != null && self.equalsIgnoreCase(m.getFrom().toBareJID());
                JID with = outgoing ? m.getTo() : m.getFrom();
                if (with == null) {
                    continue;
                }
                messages.add(new MamSubjectStore.Imported(stamp, sid, outgoing, with.toBareJID(),
                        with.getResource() == null ? "" : with.getResource(), m));
            } catch (DateTimeParseException | NullPointerException | IllegalArgumentException e) {
                // not a message this archive can hold: skipped
            }
        }
        return messages;
    }
}
