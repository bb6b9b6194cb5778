package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.DeviceIdentifiers;
import im.tongyou.api.privacy.DeviceIdentifiers.Kind;
import java.util.Optional;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.PacketError;

/**
 * The device identifier detector (C-02, R-MIN-1, AC-04): what it must refuse in forms and extensions,
 * and the ordinary payloads of XMPP and of our extensions that it must let through.
 */
class DeviceIdentifiersTest {

    private static final String IMEI = "356938035643809"; // Luhn-valid, the GSMA's example
    private static final String IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC";

    private static Optional<DeviceIdentifiers.Finding> find(String xml) throws Exception {
        return DeviceIdentifiers.find(DocumentHelper.parseText(xml).getRootElement());
    }

    private static String form(String var, String value) {
        return "<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>urn:tongyou:register:0</value></field>"
                + "<field var='username'><value>romeo</value></field>"
                + "<field var='" + var + "'><value>" + value + "</value></field></x></query>";
    }

    @ParameterizedTest
    @CsvSource({
        "imei, 1, IMEI", "IMEI, abc, IMEI", "deviceImei, 42, IMEI", "IMEINumber, 42, IMEI", "imeisv, 1, IMEI",
        "device_iccid, x, ICCID", "x-bssid, x, BSSID", "imsi, 460001234567890, IMSI", "meid, x, MEID",
        "oaid, x, OAID", "idfa, x, IDFA", "idfv, x, IDFV", "udid, x, UDID", "android-id, 9774d56d682e549c, ANDROID_ID",
        "advertising_id, x, ADVERTISING_ID", "macAddress, x, MAC", "wifi-mac, x, MAC", "mac_addr, x, MAC",
        "installed-apps, com.tencent.mm, INSTALLED_APPS", "app_list, x, INSTALLED_APPS",
        "installedPackages, x, INSTALLED_APPS", "{urn:example:0}imei, 1, IMEI",
    })
    void aFieldNamedForAnIdentifierIsRefusedWhateverItsValue(String var, String value, Kind kind) throws Exception {
        Optional<DeviceIdentifiers.Finding> found = find(form(var, value));

        assertThat(found).get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(kind);
        assertThat(found.get().where()).isEqualTo("field '" + var + "'");
        assertThat(found.get().text()).contains(var).doesNotContain(value.length() > 3 ? value : "\u0000");
    }

    @ParameterizedTest
    @CsvSource({
        "device-id, " + IMEI + ", IMEI", "deviceId, 35-693803-564380-9, IMEI", "hwid, 3c:5a:b4:01:02:03, MAC",
        "device-id, " + IDFA + ", ADVERTISING_ID", "device_serial, 123456789012345, IMSI",
        "sim-serial, 89860012345678901234, ICCID", "sim_serial, 8986001A345678901234, ICCID",
        "hardware-id, 9774d56d682e549c, ANDROID_ID", "mac, 3C5AB4010203, MAC", "terminal-id, A0000012345678, MEID",
        "device, 3c5a.b401.0203, MAC", "handset-id, 3569380356438091, IMEI",
    })
    void aFieldNamedForTheDeviceIsRefusedWhenItsValueHasAnIdentifiersShape(String var, String value, Kind kind)
            throws Exception {
        assertThat(find(form(var, value))).get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource({
        "device-id, 1234567", "device-name, Juliet's phone", "device-token, "
                + "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad",
        "serial, 42", "mac, 5Zq3eB1n0rQ6yYk8cW4tUw==", "mac, 9f86d081884c7d659a2feaa0c55ad015", "hwid, nokia 3310",
    })
    void aFieldNamedForTheDeviceWithAnOrdinaryValuePasses(String var, String value) throws Exception {
        assertThat(find(form(var, value))).isEmpty();
    }

    @Test
    void aMacAddressWithSeparatorsIsRefusedAnywhere() throws Exception {
        assertThat(find("<query xmlns='urn:example:0'><router>3C:5A:B4:01:02:03</router></query>"))
                .get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(Kind.MAC);
        assertThat(find("<query xmlns='urn:example:0' ap='3c-5a-b4-01-02-03'/>"))
                .get().extracting(DeviceIdentifiers.Finding::where).isEqualTo("attribute 'ap' of <query/>");
        assertThat(find(form("note", "3c:5a:b4:01:02:03"))).isPresent();
    }

    @Test
    void elementsAttributesAndNamespacesNamedForAnIdentifierAreRefused() throws Exception {
        assertThat(find("<vCard xmlns='vcard-temp'><FN>Romeo</FN><X-IMEI>" + IMEI + "</X-IMEI></vCard>"))
                .get().extracting(DeviceIdentifiers.Finding::where).isEqualTo("element <X-IMEI/>");
        assertThat(find("<info xmlns='urn:example:0'><device imei='" + IMEI + "' model='P40'/></info>"))
                .get().extracting(DeviceIdentifiers.Finding::where).isEqualTo("attribute 'imei' of <device/>");
        assertThat(find("<wifi xmlns='urn:example:0'><network><bssid>x</bssid></network></wifi>"))
                .get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(Kind.BSSID);
        assertThat(find("<apps xmlns='urn:example:installed-apps'><app>com.tencent.mm</app></apps>"))
                .get().extracting(DeviceIdentifiers.Finding::where).isEqualTo("namespace 'urn:example:installed-apps'");
        assertThat(find("<installed-apps xmlns='urn:example:0'><app>com.tencent.mm</app></installed-apps>"))
                .get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(Kind.INSTALLED_APPS);
        assertThat(find("<device xmlns='urn:example:0'><id>" + IMEI + "</id></device>"))
                .get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(Kind.IMEI);
        assertThat(find("<device xmlns='urn:example:0' oaid='x'/>"))
                .get().extracting(DeviceIdentifiers.Finding::kind).isEqualTo(Kind.OAID);
    }

    @Test
    void anEmptyFieldOrElementCarriesNothing() throws Exception {
        assertThat(find(form("imei", ""))).isEmpty();
        assertThat(find("<query xmlns='urn:example:0'><imei/><imsi> </imsi></query>")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // chat with an IMEI, a MAC and a card number in the body and XHTML: free text is not read
        "<message xmlns='jabber:client'><body>my IMEI is " + IMEI + ", wifi 3c:5a:b4:01:02:03</body>"
                + "<subject>3c:5a:b4:01:02:03</subject><thread>" + IMEI + "</thread>"
                + "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'>"
                + "<p>3c:5a:b4:01:02:03</p></body></html></message>",
        "<presence xmlns='jabber:client'><status>3c:5a:b4:01:02:03</status><priority>5</priority>"
                + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://conversations.im'"
                + " ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/></presence>",
        // an ordinary vCard, profile, order numbers, ids and times
        "<vCard xmlns='vcard-temp'><FN>Romeo Montague</FN><NICKNAME>romeo</NICKNAME><BDAY>2001-05-17</BDAY>"
                + "<TEL><CELL/><NUMBER>+8613800138000</NUMBER></TEL><ADR><REGION>浙江省杭州市</REGION></ADR>"
                + "<NOTE>Order 356938035643809 and " + IDFA + "</NOTE></vCard>",
        "<profile xmlns='urn:tongyou:profile:0'><nickname>罗密欧</nickname><region>北京</region></profile>",
        "<order xmlns='urn:example:mall:0' id='356938035643809' card='8986001234567890123'"
                + " uuid='" + IDFA + "' at='2026-11-29T08:00:00Z' version='2024.0101.0001'/>",
        // OMEMO: device list, bundle, encrypted message with a MAC of its own
        "<list xmlns='eu.siacs.conversations.axolotl'><device id='1234567'/><device id='2147483647'/></list>",
        "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='27183'><key rid='31415'>"
                + "MwohBfRqBm2atj3fT0/KUDg59Cnvfpgoe/PLNIu1xgSXujEZEAAYACIwKh6TTC7VBQZcCcKnQlO+6s1GQ9DIRKH4JU1X</key>"
                + "<iv>Ko+eHNzpTkYAu17P</iv></header><payload>/dHYBIeQvYsWYtgBizCj5ueVpX0=</payload></encrypted>",
        // pubsub: an avatar, node configuration, a push registration with its token
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:xmpp:avatar:metadata'><item id='"
                + "111f4b3c50d7b0df729d299bc6f8e9ef9066971f'><metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='12345'"
                + " id='111f4b3c50d7b0df729d299bc6f8e9ef9066971f' type='image/png' height='64' width='64'/></metadata>"
                + "</item></publish><publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='pubsub#access_model'><value>presence</value></field></x></publish-options></pubsub>",
        "<register xmlns='urn:tongyou:push:0' provider='jpush' token='1a0018970af1b0a5d1e'/>",
        "<enable xmlns='urn:xmpp:push:0' jid='push.tongyou.test' node='yxs32uqsflafdk3iuqo'><x xmlns='jabber:x:data'"
                + " type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value>"
                + "</field><field var='secret'><value>eruio234vzxc2kla-91</value></field></x></enable>",
        // Jingle: a DTLS fingerprint, an IPv6 candidate; words that merely contain 'mac' or 'sim'
        "<jingle xmlns='urn:xmpp:jingle:1' sid='a73sjjvkla37jfea'><fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0'"
                + " hash='sha-256'>02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2"
                + "</fingerprint><candidate ip='fe80::3c5a:b4ff:fe01:203' port='5000' machine='x' macro='y'"
                + " similar='z'/></jingle>",
    })
    void ordinaryPayloadsPass(String xml) throws Exception {
        Element root = DocumentHelper.parseText(xml).getRootElement();
        if ("message".equals(root.getName()) || "presence".equals(root.getName())) {
            for (Element child : root.elements()) {
                assertThat(DeviceIdentifiers.find(child)).as(child.asXML()).isEmpty();
            }
        } else {
            assertThat(DeviceIdentifiers.find(root)).as(xml).isEmpty();
        }
    }

    @Test
    void theRefusalIsNotAcceptableAndNamesThePlaceNotTheValue() throws Exception {
        Element payload = DocumentHelper.parseText(form("imei", IMEI)).getRootElement();

        assertThatThrownBy(() -> DeviceIdentifiers.refuse(payload))
                .isInstanceOfSatisfying(StanzaErrorException.class, e -> {
                    assertThat(e.condition()).isEqualTo(PacketError.Condition.not_acceptable);
                    assertThat(e.type()).isEqualTo(PacketError.Type.modify);
                    assertThat(e.text()).isEqualTo("device identifiers are not accepted: IMEI in field 'imei'");
                });
    }

    @Test
    void luhn() {
        assertThat(DeviceIdentifiers.luhn(IMEI)).isTrue();
        assertThat(DeviceIdentifiers.luhn("490154203237518")).isTrue();
        assertThat(DeviceIdentifiers.luhn("356938035643808")).isFalse();
    }
}
