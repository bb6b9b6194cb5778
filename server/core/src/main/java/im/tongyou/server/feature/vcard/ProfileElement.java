package im.tongyou.server.feature.vcard;

import java.util.Locale;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * The {@code <profile xmlns='urn:tongyou:profile:0'/>} element of {@code xeps/tongyou-profile.md}.
 * In a set, a field that is absent stays as it is and an empty field is cleared; so each field is
 * {@code null} (absent), {@code ""} (empty) or its value.
 *
 * @param nickname   shown to those who may see the profile; the vCard's NICKNAME
 * @param gender     {@code female}, {@code male} or {@code other}
 * @param birthday   {@code YYYY-MM-DD}; the vCard's BDAY; only its owner ever sees it
 * @param region     free text, such as a province and city; the vCard's ADR/REGION
 * @param visibility who may see the profile and the vCard, see {@link Visibility}
 */
record ProfileElement(String nickname, String gender, String birthday, String region, String visibility) {

    static final String NS = "urn:tongyou:profile:0";

    /** Who may see a user's profile and vCard, besides the user. */
    enum Visibility {
        /** Only contacts: users on the owner's roster who receive the owner's presence (the default). */
        CONTACTS,
        /** Anyone on the server; strangers still see a reduced vCard and never the birthday. */
        EVERYONE;

        String xml() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The value of a {@code <visibility/>} element, or {@code null} when it is not one. */
        static Visibility of(String xml) {
            for (Visibility v : values()) {
                if (v.xml().equals(xml)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** Reads the element; unknown children are ignored (forward compatibility). */
    static ProfileElement from(Element profile) {
        return new ProfileElement(text(profile, "nickname"), text(profile, "gender"), text(profile, "birthday"),
                text(profile, "region"), text(profile, "visibility"));
    }

    private static String text(Element profile, String name) {
        Element e = profile.element(QName.get(name, NS));
        return e == null ? null : e.getTextTrim();
    }

    /** The element, with the fields that are not {@code null}, in the schema's order. */
    Element toElement() {
        Element profile = DocumentHelper.createElement(QName.get("profile", NS));
        add(profile, "nickname", nickname);
        add(profile, "gender", gender);
        add(profile, "birthday", birthday);
        add(profile, "region", region);
        add(profile, "visibility", visibility);
        return profile;
    }

    private static void add(Element profile, String name, String value) {
        if (value != null) {
            profile.addElement(QName.get(name, NS)).setText(value);
        }
    }
}
