package im.tongyou.server.feature.vcard;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * A vcard-temp vCard (XEP-0054) as this server reads and edits it: the fields the Tongyou profile
 * maps to ({@code NICKNAME}, {@code BDAY}, {@code ADR/REGION}), the XEP-0153 photo hash, and the
 * reduced copies served to viewers other than the owner.
 */
final class VCardElement {

    static final String NS = "vcard-temp";

    /** What a stranger sees when the owner made the profile visible to everyone. */
    private static final Set<String> PUBLIC = Set.of("FN", "N", "NICKNAME", "PHOTO", "DESC", "ADR");
    /** What a stranger sees of an address: the region and the country, never the street. */
    private static final Set<String> PUBLIC_ADR = Set.of("HOME", "WORK", "REGION", "CTRY");

    private VCardElement() {
    }

    /** An empty {@code <vCard xmlns='vcard-temp'/>}. */
    static Element empty() {
        return DocumentHelper.createElement(QName.get("vCard", NS));
    }

    static boolean isVCard(Element e) {
        return e != null && "vCard".equals(e.getName()) && NS.equals(e.getNamespaceURI());
    }

    /** The text of the first child with the name, or {@code null} when absent or empty. */
    static String field(Element vcard, String name) {
        Element e = vcard.element(QName.get(name, NS));
        String text = e == null ? "" : e.getTextTrim();
        return text.isEmpty() ? null : text;
    }

    /** Sets the text of the first child with the name (adding it), or removes every such child for {@code null}. */
    static void setField(Element vcard, String name, String value) {
        List<Element> existing = vcard.elements(QName.get(name, NS));
        if (value == null) {
            existing.forEach(vcard::remove);
        } else if (existing.isEmpty()) {
            vcard.addElement(QName.get(name, NS)).setText(value);
        } else {
            existing.get(0).setText(value);
        }
    }

    /** The profile's region: the REGION of the first address that has one. */
    static String region(Element vcard) {
        for (Element adr : vcard.elements(QName.get("ADR", NS))) {
            String region = field(adr, "REGION");
            if (region != null) {
                return region;
            }
        }
        return null;
    }

    /**
     * Sets the profile's region into the first address that has a REGION, or a new home address;
     * {@code null} removes it (and an address left with nothing but its HOME or WORK flag).
     */
    static void setRegion(Element vcard, String region) {
        for (Element adr : vcard.elements(QName.get("ADR", NS))) {
            if (field(adr, "REGION") != null) {
                setField(adr, "REGION", region);
                if (region == null && adr.elements().stream().allMatch(VCardElement::isFlag)) {
                    vcard.remove(adr);
                }
                return;
            }
        }
        if (region != null) {
            Element adr = vcard.addElement(QName.get("ADR", NS));
            adr.addElement(QName.get("HOME", NS));
            adr.addElement(QName.get("REGION", NS)).setText(region);
        }
    }

    private static boolean isFlag(Element e) {
        return "HOME".equals(e.getName()) || "WORK".equals(e.getName());
    }

    /**
     * The hex SHA-1 of the photo's image data (XEP-0153 §3.1: "the SHA1 hash of the avatar image
     * data itself (not the base64-encoded version)"), or {@code null} when there is no photo.
     *
     * @throws IllegalArgumentException when BINVAL is not Base64
     */
    static String photoHash(Element vcard) {
        Element photo = vcard.element(QName.get("PHOTO", NS));
        Element binval = photo == null ? null : photo.element(QName.get("BINVAL", NS));
        if (binval == null) {
            return null;
        }
        // XEP-0153 §4.5: "any whitespace characters (e.g., '\r' and '\n') MUST be ignored".
        String base64 = binval.getText().replaceAll("\\s+", "");
        if (base64.isEmpty()) {
            return null;
        }
        byte[] image = Base64.getDecoder().decode(base64);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(image));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this Java runtime", e);
        }
    }

    /** The vCard for a contact: everything but the birthday, which only its owner sees. */
    static Element forContact(Element vcard) {
        Element copy = vcard.createCopy();
        setField(copy, "BDAY", null);
        return copy;
    }

    /**
     * The vCard for a stranger (the owner chose visibility to everyone): names, nickname, photo,
     * description, and the region and country of addresses; no birthday, telephone, e-mail or street.
     */
    static Element forStranger(Element vcard) {
        Element copy = vcard.createCopy();
        for (Element child : List.copyOf(copy.elements())) {
            if (!PUBLIC.contains(child.getName())) {
                copy.remove(child);
            } else if ("ADR".equals(child.getName())) {
                child.elements().stream().filter(e -> !PUBLIC_ADR.contains(e.getName())).toList().forEach(child::remove);
                if (child.element(QName.get("REGION", NS)) == null && child.element(QName.get("CTRY", NS)) == null) {
                    copy.remove(child);
                }
            }
        }
        return copy;
    }
}
