package im.tongyou.server.feature.mam;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.JID;

/**
 * A user's archiving preferences (XEP-0441 §2.1, {@code <prefs xmlns='urn:xmpp:mam:2'/>}): the
 * default (always, never or roster) and the JIDs always and never archived, with the matching rules
 * of §2.3.
 */
record MamPrefs(Mode defaultMode, List<JID> always, List<JID> never) {

    static final String NS = "urn:xmpp:mam:2";
    /** The most JIDs in each list. */
    static final int MAX_JIDS = 1000;

    /** XEP-0441 §2.1.1. */
    enum Mode {
        ALWAYS, NEVER, ROSTER;

        String xml() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Mode parse(String value) {
            for (Mode m : values()) {
                if (m.xml().equals(value)) {
                    return m;
                }
            }
            return null;
        }
    }

    MamPrefs {
        always = List.copyOf(always);
        never = List.copyOf(never);
    }

    /**
     * Whether messages to or from the target are archived (XEP-0441 §2.3: the target is 'to' for an
     * outgoing message and 'from' for an incoming one). "Never" wins when a JID is on both lists.
     *
     * @param inRoster whether a bare JID is on the user's roster, for the 'roster' default
     */
    boolean archives(JID target, Predicate<JID> inRoster) {
        if (matches(never, target)) {
            return false;
        }
        if (matches(always, target)) {
            return true;
        }
        return switch (defaultMode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ROSTER -> inRoster.test(target.asBareJID());
        };
    }

    /**
     * XEP-0441 §2.3.1: "If the listed JID contains a resource, compare against the target JID as-is.
     * If the listed JID has no resource ... first strip any resource from the target JID".
     */
    private static boolean matches(List<JID> listed, JID target) {
        for (JID jid : listed) {
            if (jid.getResource() != null ? jid.equals(target) : jid.equals(target.asBareJID())) {
                return true;
            }
        }
        return false;
    }

    /** Parses the {@code <prefs/>} of an IQ set. */
    static MamPrefs fromElement(Element prefs) throws StanzaErrorException {
        Mode mode = Mode.parse(prefs.attributeValue("default"));
        if (mode == null) {
            throw StanzaErrorException.badRequest("'default' must be always, never or roster");
        }
        return new MamPrefs(mode, jids(prefs.element("always")), jids(prefs.element("never")));
    }

    private static List<JID> jids(Element list) throws StanzaErrorException {
        if (list == null) {
            return List.of(); // XEP-0441 §2.1.2: a missing list is an empty list
        }
        Set<JID> jids = new LinkedHashSet<>();
        for (Element jid : list.elements("jid")) {
            try {
                jids.add(new JID(jid.getTextTrim()));
            } catch (IllegalArgumentException e) {
                throw new StanzaErrorException(org.xmpp.packet.PacketError.Condition.jid_malformed,
                        "not a JID in <" + list.getName() + "/>");
            }
        }
        if (jids.size() > MAX_JIDS) {
            throw StanzaErrorException.notAcceptable("at most " + MAX_JIDS + " JIDs in <" + list.getName() + "/>");
        }
        return new ArrayList<>(jids);
    }

    /** The {@code <prefs/>} element; both lists are present even when empty (XEP-0441 §2.1). */
    Element toElement() {
        Element prefs = DocumentHelper.createElement(QName.get("prefs", NS));
        prefs.addAttribute("default", defaultMode.xml());
        Element alwaysList = prefs.addElement("always");
        always.forEach(j -> alwaysList.addElement("jid").setText(j.toString()));
        Element neverList = prefs.addElement("never");
        never.forEach(j -> neverList.addElement("jid").setText(j.toString()));
        return prefs;
    }
}
