package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.Attribute;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.PacketError;

/**
 * The examples of {@code xeps/tongyou-consent.md} are tests: each payload is read into the record
 * the server uses and encoded again, and must come out equal, element by element; every error
 * example names a condition of the spec with its RFC 6120 condition and type.
 */
class ConsentElementTest {

    static final Path SPEC = Path.of("../../xeps/tongyou-consent.md");
    static final String NS = ConsentElement.NS;

    static List<Element> examples() throws Exception {
        Matcher m = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(SPEC));
        List<Element> stanzas = new ArrayList<>();
        while (m.find()) {
            Element root = DocumentHelper.parseText(m.group(1)).getRootElement();
            if (!root.getName().equals("schema")) {
                stanzas.add(root);
            }
        }
        return stanzas;
    }

    @Test
    void everyExampleRoundTrips() throws Exception {
        List<Element> stanzas = examples();
        int checked = 0;
        for (Element stanza : stanzas) {
            for (Element child : stanza.elements()) {
                if (child.getName().equals("error")) {
                    checkError(child);
                    checked++;
                } else if (NS.equals(child.getNamespaceURI())) {
                    assertSame(roundTrip(child, stanza.attributeValue("type")), child);
                    checked++;
                }
            }
        }
        assertThat(checked).as("the payloads checked").isGreaterThanOrEqualTo(22);
    }

    /** What the server reads for the payload, encoded again. */
    static Element roundTrip(Element e, String stanzaType) throws Exception {
        boolean request = "get".equals(stanzaType) || "set".equals(stanzaType);
        return switch (e.getName()) {
            case "policy" -> request ? PolicyElement.PolicyQuery.from(e).toElement() : PolicyElement.Policy.from(e).toElement();
            case "policy-update" -> PolicyElement.PolicyUpdate.from(e).toElement();
            case "purposes" -> request ? ConsentElement.element("purposes") : PolicyElement.Purposes.from(e).toElement();
            case "accept" -> ConsentElement.Accept.from(e).toElement();
            case "grant" -> ConsentElement.Grant.from(e).toElement();
            case "withdraw", "refuse" -> ConsentElement.Withdrawal.from(e).toElement();
            case "record" -> ConsentElement.Record.from(e).toElement();
            case "history" -> request ? ConsentElement.HistoryQuery.from(e).toElement() : ConsentElement.History.from(e).toElement();
            case "guardian" -> GuardianElement.Request.from(e).toElement();
            case "code-sent" -> GuardianElement.CodeSent.from(e).toElement();
            case "guardian-consent" -> GuardianElement.Consent.from(e).toElement();
            case "guardian-refusal" -> GuardianElement.Refusal.from(e).toElement();
            case "guardian-required" -> GuardianElement.Required.from(e).toElement();
            default -> throw new AssertionError("an example the test does not know: " + e.asXML());
        };
    }

    /** An error names a condition of the spec, with the RFC 6120 condition and type it comes with. */
    static void checkError(Element error) {
        Element app = error.elements().stream().filter(e -> NS.equals(e.getNamespaceURI())).findFirst().orElseThrow();
        ConsentCondition condition = ConsentCondition.fromElement(app.getName());
        Element rfc = error.elements().stream().filter(e -> !NS.equals(e.getNamespaceURI())).findFirst().orElseThrow();
        assertThat(rfc.getName()).isEqualTo(condition.condition().toXMPP());
        assertThat(error.attributeValue("type")).isEqualTo(condition.condition().getDefaultType().toXMPP());
        PacketError built = condition.error("x").toPacketError();
        assertThat(built.getCondition()).isEqualTo(condition.condition());
    }

    /** Equal names, namespaces, attributes, trimmed text and children, in order. */
    static void assertSame(Element actual, Element expected) {
        assertThat(actual.getQName().getName()).isEqualTo(expected.getQName().getName());
        assertThat(actual.getNamespaceURI()).as(expected.getName()).isEqualTo(expected.getNamespaceURI());
        assertThat(attributes(actual)).as(expected.asXML()).isEqualTo(attributes(expected));
        assertThat(actual.getTextTrim()).isEqualTo(expected.getTextTrim());
        List<Element> a = actual.elements();
        List<Element> x = expected.elements();
        assertThat(a).as(expected.asXML()).hasSameSizeAs(x);
        for (int i = 0; i < a.size(); i++) {
            assertSame(a.get(i), x.get(i));
        }
    }

    static Map<String, String> attributes(Element e) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Attribute a : e.attributes()) {
            all.put(a.getNamespaceURI() + "|" + a.getName(), a.getValue());
        }
        return new java.util.TreeMap<>(all);
    }

    @Test
    void theSpecDocumentsEveryCondition() throws Exception {
        String spec = Files.readString(SPEC);
        for (ConsentCondition c : ConsentCondition.values()) {
            assertThat(spec).as(c.element()).contains("| `" + c.element() + "`");
        }
        for (im.tongyou.api.privacy.Purpose p : im.tongyou.api.privacy.Purpose.values()) {
            assertThat(spec).as(p.id()).contains("`" + p.id() + "`");
        }
    }
}
