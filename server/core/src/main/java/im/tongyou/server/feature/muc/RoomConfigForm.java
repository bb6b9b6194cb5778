package im.tongyou.server.feature.muc;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.packet.PacketError.Condition;

/**
 * The room configuration form (XEP-0045 §10.1.3, §10.2, FORM_TYPE muc#roomconfig of §16.5.3, as a
 * XEP-0004 data form): built with the current values, and applied from a submission in which
 * missing fields keep their value. There is no logging field: a room's messages are never logged.
 */
final class RoomConfigForm {

    static final int MAX_NAME = 255;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_LANG = 64;
    static final int MAX_PASSWORD = 255;
    private static final List<String> ROLES = List.of("moderator", "participant", "visitor");

    private RoomConfigForm() {
    }

    /** The form with the room's current configuration as defaults. */
    static Element form(Room room, MucOptions options) {
        RoomConfig c = room.config();
        Element x = DocumentHelper.createElement(QName.get("x", Muc.NS_DATA)).addAttribute("type", "form");
        x.addElement("title").setText("Configuration of room " + room.jid().toBareJID());
        x.addElement("instructions").setText(room.isLocked()
                ? "Your room has been created. Submit this form to unlock it; it is locked until you do."
                : "Complete this form to change the configuration of your room.");
        field(x, "FORM_TYPE", "hidden", null, List.of(Muc.NS_ROOMCONFIG));
        field(x, "muc#roomconfig_roomname", "text-single", "Natural-Language Room Name", List.of(c.name()));
        field(x, "muc#roomconfig_roomdesc", "text-single", "Short Description of Room", List.of(c.description()));
        field(x, "muc#roomconfig_lang", "text-single", "Natural Language for Room Discussions", List.of(c.lang()));
        bool(x, "muc#roomconfig_persistentroom", "Make Room Persistent?", c.persistent());
        bool(x, "muc#roomconfig_publicroom", "Make Room Publicly Searchable?", c.publicRoom());
        bool(x, "muc#roomconfig_membersonly", "Make Room Members-Only?", c.membersOnly());
        bool(x, "muc#roomconfig_moderatedroom", "Make Room Moderated?", c.moderated());
        bool(x, "muc#roomconfig_changesubject", "Allow Occupants to Change Subject?", c.changeSubject());
        bool(x, "muc#roomconfig_allowinvites", "Allow Members to Invite Others?", c.allowInvites());
        options(field(x, "muc#roomconfig_allowpm", "list-single", "Who Can Send Private Messages?", List.of(c.allowPm())),
                MucOptions.ALLOW_PM);
        options(field(x, "muc#roomconfig_whois", "list-single", "Who May Discover Real JIDs?",
                List.of(c.nonAnonymous() ? "anyone" : "moderators")), List.of("moderators", "anyone"));
        bool(x, "muc#roomconfig_passwordprotectedroom", "Password Required to Enter?", c.passwordProtected());
        field(x, "muc#roomconfig_roomsecret", "text-private", "Password",
                c.password() == null ? List.of() : List.of(c.password()));
        List<String> sizes = new ArrayList<>();
        for (int n : new int[] {10, 20, 30, 50, 100, 200, 500, 1000}) {
            if (n < options.maxOccupants()) {
                sizes.add(Integer.toString(n));
            }
        }
        sizes.add(Integer.toString(options.maxOccupants()));
        options(field(x, "muc#roomconfig_maxusers", "list-single", "Maximum Number of Occupants",
                List.of(Integer.toString(c.maxUsers()))), sizes);
        options(field(x, "muc#roomconfig_presencebroadcast", "list-multi", "Roles for which Presence is Broadcasted",
                names(c.presenceBroadcast())), ROLES);
        options(field(x, "muc#roomconfig_getmemberlist", "list-multi", "Roles that May Retrieve Member List",
                names(c.getMemberList())), ROLES);
        field(x, "muc#maxhistoryfetch", "text-single", "Maximum Number of History Messages Returned by Room",
                List.of(Integer.toString(c.history())));
        return x;
    }

    /**
     * Applies a submitted form; "If the room creation fails because the specified room configuration
     * options violate one or more service policies (e.g., because the password for a
     * password-protected room is blank), the service MUST return a not-acceptable error" (§10.1.3).
     */
    static RoomConfig apply(RoomConfig c, Element submitted, MucOptions options) throws StanzaErrorException {
        Map<String, List<String>> f = values(submitted);
        List<String> formType = f.get("FORM_TYPE");
        if (formType != null && !formType.contains(Muc.NS_ROOMCONFIG)) {
            throw new StanzaErrorException(Condition.bad_request, "not a muc#roomconfig form");
        }
        boolean protect = bool(f, "muc#roomconfig_passwordprotectedroom", c.passwordProtected());
        String secret = text(f, "muc#roomconfig_roomsecret", c.password() == null ? "" : c.password(), MAX_PASSWORD);
        if (protect && secret.isEmpty()) {
            throw notAcceptable("a password-protected room needs a password");
        }
        String whois = choice(f, "muc#roomconfig_whois", c.nonAnonymous() ? "anyone" : "moderators",
                List.of("anyone", "moderators"));
        return new RoomConfig(text(f, "muc#roomconfig_roomname", c.name(), MAX_NAME),
                text(f, "muc#roomconfig_roomdesc", c.description(), MAX_DESCRIPTION),
                text(f, "muc#roomconfig_lang", c.lang(), MAX_LANG),
                bool(f, "muc#roomconfig_persistentroom", c.persistent()),
                bool(f, "muc#roomconfig_publicroom", c.publicRoom()),
                bool(f, "muc#roomconfig_membersonly", c.membersOnly()),
                bool(f, "muc#roomconfig_moderatedroom", c.moderated()),
                whois.equals("anyone"), protect ? secret : null, maxUsers(f, c, options),
                bool(f, "muc#roomconfig_changesubject", c.changeSubject()),
                bool(f, "muc#roomconfig_allowinvites", c.allowInvites()),
                choice(f, "muc#roomconfig_allowpm", c.allowPm(), MucOptions.ALLOW_PM),
                roles(f, "muc#roomconfig_presencebroadcast", c.presenceBroadcast()),
                roles(f, "muc#roomconfig_getmemberlist", c.getMemberList()),
                number(f, "muc#maxhistoryfetch", c.history(), 0, options.maxHistory()));
    }

    private static int maxUsers(Map<String, List<String>> f, RoomConfig c, MucOptions options) throws StanzaErrorException {
        List<String> v = f.get("muc#roomconfig_maxusers");
        if (v != null && !v.isEmpty() && ("none".equals(v.get(0)) || "0".equals(v.get(0)))) {
            return options.maxOccupants(); // "None": as many as the service allows
        }
        return number(f, "muc#roomconfig_maxusers", c.maxUsers(), 1, options.maxOccupants());
    }

    private static Map<String, List<String>> values(Element form) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Element field : form.elements("field")) {
            String var = field.attributeValue("var");
            if (var != null) {
                List<String> list = new ArrayList<>();
                field.elements("value").forEach(v -> list.add(v.getText()));
                values.put(var, list);
            }
        }
        return values;
    }

    private static String text(Map<String, List<String>> f, String var, String current, int max)
            throws StanzaErrorException {
        List<String> v = f.get(var);
        if (v == null) {
            return current;
        }
        String value = v.isEmpty() ? "" : v.get(0).strip();
        if (value.codePointCount(0, value.length()) > max) {
            throw notAcceptable(var + " is longer than " + max + " characters");
        }
        return value;
    }

    private static boolean bool(Map<String, List<String>> f, String var, boolean current) throws StanzaErrorException {
        List<String> v = f.get(var);
        if (v == null || v.isEmpty()) {
            return current;
        }
        return switch (v.get(0).strip()) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw notAcceptable(var + " must be a boolean");
        };
    }

    private static String choice(Map<String, List<String>> f, String var, String current, List<String> allowed)
            throws StanzaErrorException {
        List<String> v = f.get(var);
        if (v == null || v.isEmpty()) {
            return current;
        }
        if (!allowed.contains(v.get(0))) {
            throw notAcceptable(var + " must be one of " + allowed);
        }
        return v.get(0);
    }

    private static int number(Map<String, List<String>> f, String var, int current, int min, int max)
            throws StanzaErrorException {
        List<String> v = f.get(var);
        if (v == null || v.isEmpty()) {
            return current;
        }
        try {
            int n = Integer.parseInt(v.get(0).strip());
            if (n < min || n > max) {
                throw notAcceptable(var + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw notAcceptable(var + " must be a number");
        }
    }

    private static Set<Role> roles(Map<String, List<String>> f, String var, Set<Role> current) throws StanzaErrorException {
        List<String> v = f.get(var);
        if (v == null) {
            return current;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : v) {
            if (!ROLES.contains(name)) {
                throw notAcceptable(var + " values must be among " + ROLES);
            }
            roles.add(Role.parse(name));
        }
        return roles;
    }

    private static List<String> names(Set<Role> roles) {
        List<String> names = new ArrayList<>();
        for (String r : ROLES) {
            if (roles.contains(Role.parse(r))) {
                names.add(r);
            }
        }
        return names;
    }

    private static Element field(Element x, String var, String type, String label, List<String> values) {
        Element f = x.addElement("field").addAttribute("var", var).addAttribute("type", type);
        if (label != null) {
            f.addAttribute("label", label);
        }
        values.forEach(v -> f.addElement("value").setText(v));
        return f;
    }

    private static void bool(Element x, String var, String label, boolean value) {
        field(x, var, "boolean", label, List.of(value ? "1" : "0"));
    }

    private static void options(Element field, List<String> values) {
        values.forEach(v -> field.addElement("option").addAttribute("label", v).addElement("value").setText(v));
    }

    private static StanzaErrorException notAcceptable(String text) {
        return new StanzaErrorException(Condition.not_acceptable, text);
    }
}
