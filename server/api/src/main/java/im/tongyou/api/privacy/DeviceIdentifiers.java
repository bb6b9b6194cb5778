package im.tongyou.api.privacy;

import im.tongyou.api.StanzaErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.dom4j.Attribute;
import org.dom4j.Element;
import org.xmpp.packet.PacketError;

/**
 * Finds device identifiers (IMEI, MEID, IMSI, ICCID, MAC and BSSID, OAID, IDFA, IDFV, UDID, Android
 * and advertising IDs, installed-app lists) in an XML payload, so that the server refuses them
 * wherever a form or extension could carry them (privacy requirements C-02, C-05, R-MIN-1, AC-04):
 * no server feature needs one. Pure functions.
 *
 * <p>Three rules, from sure to careful, so that ordinary data is never taken for an identifier:
 * <ol>
 * <li>A <b>name</b> that says it (an element, attribute or namespace, or a data form field's
 *     {@code var}, in any spelling: {@code imei}, {@code deviceIMEI}, {@code mac_address},
 *     {@code X-ICCID}, {@code installed-apps}, {@code app-list}) is refused with any non-blank value.</li>
 * <li>A name that speaks of the device ({@code device-id}, {@code hwid}, {@code sim-serial},
 *     {@code mac}, an {@code <id/>} inside {@code <device/>}) is refused when its value has an
 *     identifier's shape: 15 digits (IMEI, IMSI), 16 digits (IMEISV), 14 hex digits (MEID), 19 or 20
 *     characters starting with 89 (ICCID), a MAC address, a UUID (IDFA, IDFV, OAID) or 16 hex digits
 *     (Android ID, OAID).</li>
 * <li>Any whole value that is a MAC address with separators ({@code 3c:5a:b4:01:02:03}) is refused
 *     anywhere: nothing else is written that way.</li>
 * </ol>
 * Free text is never read: message bodies, subjects, threads, presence status and XHTML-IM are
 * skipped, and a value is only ever matched whole, so a sentence that mentions a number passes.
 * A {@code mac} that is a message authentication code (base64 or a long hex digest) passes too.
 */
public final class DeviceIdentifiers {

    /** What kind of identifier was found. */
    public enum Kind {
        IMEI("IMEI"), MEID("MEID"), IMSI("IMSI"), ICCID("ICCID"), MAC("MAC address"), BSSID("BSSID"),
        OAID("OAID"), IDFA("IDFA"), IDFV("IDFV"), UDID("UDID"), ANDROID_ID("Android ID"),
        ADVERTISING_ID("advertising ID"), INSTALLED_APPS("installed-app list"), DEVICE_ID("device identifier");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short English name, for error texts. */
        public String label() {
            return label;
        }
    }

    /**
     * A device identifier found in a payload.
     *
     * @param kind  what it is
     * @param where the place, for example {@code field 'imei'} or {@code attribute 'mac' of <device/>};
     *              never the value
     */
    public record Finding(Kind kind, String where) {
        /** The error text: what was refused and where, without the value. */
        public String text() {
            return "device identifiers are not accepted: " + kind.label() + " in " + where;
        }
    }

    private static final String CLIENT = "jabber:client";
    private static final String DATA = "jabber:x:data";
    private static final Set<String> FREE_TEXT = Set.of("body", "subject", "thread", "status");
    private static final String XHTML_IM = "http://jabber.org/protocol/xhtml-im";

    /** Names that say what they hold, after tokens are joined (rule 1). */
    private static final Map<String, Kind> NAMES = Map.ofEntries(
            Map.entry("imei", Kind.IMEI), Map.entry("imeisv", Kind.IMEI), Map.entry("meid", Kind.MEID),
            Map.entry("imsi", Kind.IMSI), Map.entry("iccid", Kind.ICCID), Map.entry("bssid", Kind.BSSID),
            Map.entry("oaid", Kind.OAID), Map.entry("idfa", Kind.IDFA), Map.entry("idfv", Kind.IDFV),
            Map.entry("udid", Kind.UDID), Map.entry("gaid", Kind.ADVERTISING_ID),
            Map.entry("androidid", Kind.ANDROID_ID), Map.entry("advertisingid", Kind.ADVERTISING_ID),
            Map.entry("macaddress", Kind.MAC), Map.entry("macaddr", Kind.MAC), Map.entry("wifimac", Kind.MAC),
            Map.entry("wlanmac", Kind.MAC), Map.entry("btmac", Kind.MAC), Map.entry("bluetoothmac", Kind.MAC),
            Map.entry("ethmac", Kind.MAC), Map.entry("installedapps", Kind.INSTALLED_APPS),
            Map.entry("installedapp", Kind.INSTALLED_APPS), Map.entry("installedpackages", Kind.INSTALLED_APPS),
            Map.entry("installedapplications", Kind.INSTALLED_APPS), Map.entry("applist", Kind.INSTALLED_APPS),
            Map.entry("appslist", Kind.INSTALLED_APPS), Map.entry("applicationlist", Kind.INSTALLED_APPS),
            Map.entry("packagelist", Kind.INSTALLED_APPS));

    /** Tokens of names that speak of the device, whose values are looked at (rule 2). */
    private static final Set<String> DEVICE_WORDS = Set.of("device", "deviceid", "hardware", "hw", "hwid", "handset",
            "terminal", "sim", "equipment", "serial", "mac");

    private static final Pattern TOKEN_BREAK = Pattern.compile("[^\\p{Alnum}]+|(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})");
    private static final Pattern MAC_SEPARATED = Pattern.compile("\\p{XDigit}{2}([:-])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){4}");
    private static final Pattern MAC_DOTTED = Pattern.compile("\\p{XDigit}{4}(\\.\\p{XDigit}{4}){2}");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern HEX = Pattern.compile("\\p{XDigit}+");
    private static final Pattern ICCID = Pattern.compile("89\\p{XDigit}{17,18}");
    private static final Pattern UUID = Pattern.compile(
            "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    private DeviceIdentifiers() {
    }

    /** The first device identifier in the element or anything inside it, skipping free text. */
    public static Optional<Finding> find(Element element) {
        return Optional.ofNullable(scan(element, null, false));
    }

    /** Refuses with {@code not-acceptable} (RFC 6120 §8.3.3.12) naming the place, when {@link #find} finds one. */
    public static void refuse(Element element) throws StanzaErrorException {
        Optional<Finding> found = find(element);
        if (found.isPresent()) {
            throw error(found.get());
        }
    }

    /** The error for a finding: {@code not-acceptable} of type modify, with {@link Finding#text()}. */
    public static StanzaErrorException error(Finding finding) {
        return new StanzaErrorException(PacketError.Condition.not_acceptable, PacketError.Type.modify, finding.text(), null);
    }

    /** The kind a name says it holds (rule 1), for example {@code deviceImei} or {@code app_list}. */
    public static Optional<Kind> ofName(String name) {
        List<String> tokens = tokens(name);
        for (int i = 0; i < tokens.size(); i++) {
            Kind k = NAMES.get(tokens.get(i));
            if (k == null && i + 1 < tokens.size()) {
                k = NAMES.get(tokens.get(i) + tokens.get(i + 1));
            }
            if (k != null) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Whether a name speaks of the device, so that its value is looked at (rule 2). */
    public static boolean isDeviceName(String name) {
        return tokens(name).stream().anyMatch(DEVICE_WORDS::contains);
    }

    /**
     * The kind of identifier a whole value has the shape of, for a value in a field that speaks of
     * the device (rule 2); spaces and hyphens between digits are ignored.
     */
    public static Optional<Kind> ofDeviceValue(String value) {
        String v = value.strip();
        if (MAC_SEPARATED.matcher(v).matches() || MAC_DOTTED.matcher(v).matches()) {
            return Optional.of(Kind.MAC);
        }
        if (UUID.matcher(v).matches()) {
            return Optional.of(Kind.ADVERTISING_ID);
        }
        String compact = v.replaceAll("[\\s-]", "");
        if (DIGITS.matcher(compact).matches()) {
            return switch (compact.length()) {
                case 15 -> Optional.of(luhn(compact) ? Kind.IMEI : Kind.IMSI);
                case 16 -> Optional.of(Kind.IMEI); // IMEISV
                case 14 -> Optional.of(Kind.MEID);
                case 19, 20 -> compact.startsWith("89") ? Optional.of(Kind.ICCID) : Optional.empty();
                default -> Optional.empty();
            };
        }
        if (ICCID.matcher(compact).matches()) {
            return Optional.of(Kind.ICCID);
        }
        if (HEX.matcher(compact).matches()) {
            return switch (compact.length()) {
                case 12 -> Optional.of(Kind.MAC);
                case 14 -> Optional.of(Kind.MEID);
                case 16 -> Optional.of(Kind.ANDROID_ID);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /** Whether a whole value is a MAC address written with separators (rule 3). */
    public static boolean isMacAddress(String value) {
        String v = value.strip();
        return v.length() == 17 && MAC_SEPARATED.matcher(v).matches();
    }

    /** The Luhn check (ISO/IEC 7812-1 Annex B) that the 15th digit of an IMEI satisfies. */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static Finding scan(Element e, String parentNs, boolean parentIsDevice) {
        String ns = e.getNamespaceURI();
        String name = e.getName();
        if ((CLIENT.equals(ns) && FREE_TEXT.contains(name)) || XHTML_IM.equals(ns)) {
            return null;
        }
        if (!ns.equals(parentNs) && !ns.isEmpty()) {
            Optional<Kind> k = ofName(ns);
            if (k.isPresent()) {
                return new Finding(k.get(), "namespace '" + ns + "'");
            }
        }
        if (DATA.equals(ns) && "field".equals(name)) {
            return field(e);
        }
        String where = "<" + name + "/>";
        Optional<Kind> named = ofName(name);
        if (named.isPresent() && hasContent(e)) {
            return new Finding(named.get(), "element " + where);
        }
        boolean device = named.isPresent() || isDeviceName(name);
        for (Attribute a : e.attributes()) {
            Finding f = value(a.getName(), a.getValue(), device, "attribute '" + a.getName() + "' of " + where);
            if (f != null) {
                return f;
            }
        }
        List<Element> children = e.elements();
        if (children.isEmpty()) {
            return value(name, e.getText(), parentIsDevice, "element " + where);
        }
        for (Element child : children) {
            Finding f = scan(child, ns, device);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static boolean hasContent(Element e) {
        if (!e.elements().isEmpty() || !e.getText().isBlank()) {
            return true;
        }
        return e.attributes().stream().anyMatch(a -> !a.getValue().isBlank());
    }

    /** A data form field (XEP-0004 §3.2): its {@code var} is the name, its {@code <value/>}s the values. */
    private static Finding field(Element field) {
        String var = field.attributeValue("var", "");
        List<String> values = new ArrayList<>();
        for (Element v : field.elements("value")) {
            values.add(v.getText());
        }
        for (String v : values) {
            Finding f = value(var, v, false, "field '" + var + "'");
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** One name and value: rule 1, then rule 2 when the name (or its element) speaks of the device, then rule 3. */
    private static Finding value(String name, String value, boolean inDevice, String where) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<Kind> named = ofName(name);
        if (named.isPresent()) {
            return new Finding(named.get(), where);
        }
        if (value.length() <= 64 && (inDevice || isDeviceName(name))) {
            Optional<Kind> shaped = ofDeviceValue(value);
            if (shaped.isPresent()) {
                return new Finding(shaped.get(), where);
            }
        }
        return isMacAddress(value) ? new Finding(Kind.MAC, where) : null;
    }

    private static List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>(4);
        for (String t : TOKEN_BREAK.split(name)) {
            if (!t.isEmpty()) {
                tokens.add(t.toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }
}
