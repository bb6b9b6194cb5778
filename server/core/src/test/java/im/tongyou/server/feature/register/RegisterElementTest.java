package im.tongyou.server.feature.register;

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
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.PacketError;

/**
 * The examples of {@code xeps/tongyou-register.md} are tests: each is parsed, and what the server
 * builds or reads for it is encoded again and compared element by element.
 */
class RegisterElementTest {

    static final Path SPEC = Path.of("../../xeps/tongyou-register.md");

    static List<Element> examples() throws Exception {
        Matcher m = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(SPEC));
        List<Element> iqs = new ArrayList<>();
        while (m.find()) {
            Element root = DocumentHelper.parseText(m.group(1)).getRootElement();
            if (root.getName().equals("iq")) {
                iqs.add(root);
            }
        }
        return iqs;
    }

    @Test
    void everyExampleRoundTrips() throws Exception {
        List<Element> iqs = examples();
        assertThat(iqs).hasSizeGreaterThanOrEqualTo(12);
        int checked = 0;
        for (Element iq : iqs) {
            Element child = iq.elements().isEmpty() ? null : iq.elements().get(0);
            if (child == null) {
                continue; // an empty result
            }
            String ns = child.getNamespaceURI();
            if (child.getName().equals("error")) {
                checkError(child);
            } else if (child.getName().equals("request-code")) {
                assertSame(RegisterElement.RequestCode.from(child).toElement(), child);
            } else if (child.getName().equals("code-sent")) {
                assertSame(RegisterElement.CodeSent.from(child).toElement(), child);
            } else if (RegisterElement.IQ_REGISTER.equals(ns) && child.element("x") != null) {
                Element x = child.element("x");
                if ("form".equals(x.attributeValue("type"))) {
                    assertSame(RegisterForms.phoneQuery("V4.2.7"), child);
                } else {
                    DataForm submitted = RegisterForms.submittedForm(child);
                    assertSame(PhoneSubmission.from(submitted).toForm().getElement(), x);
                }
            } else if (RegisterElement.IQ_REGISTER.equals(ns)) {
                assertThat(child.element("remove") != null || child.element("password") != null
                        || child.elements().isEmpty()).as(iq.asXML()).isTrue();
            } else {
                throw new AssertionError("an example the test does not know: " + iq.asXML());
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(11);
    }

    /** An error example names a condition of the spec with its RFC 6120 condition and type. */
    static void checkError(Element error) {
        Element app = error.elements().stream().filter(e -> RegisterElement.NS.equals(e.getNamespaceURI()))
                .findFirst().orElseThrow();
        RegisterElement.Condition condition = java.util.Arrays.stream(RegisterElement.Condition.values())
                .filter(c -> c.element.equals(app.getName())).findFirst().orElseThrow();
        PacketError built = condition.error(null).toPacketError();
        assertThat(error.element(QName.get(condition.condition.toXMPP(), "urn:ietf:params:xml:ns:xmpp-stanzas")))
                .as(error.asXML()).isNotNull();
        assertThat(error.attributeValue("type")).isEqualTo(built.getType().toXMPP());
    }

    @Test
    void theSubmittedExampleReadsAsARegistration() throws Exception {
        Element submit = examples().stream().map(iq -> iq.element("query"))
                .filter(q -> q != null && q.element("x") != null && "submit".equals(q.element("x").attributeValue("type")))
                .findFirst().orElseThrow();
        PhoneSubmission s = PhoneSubmission.from(RegisterForms.submittedForm(submit));
        assertThat(s).isEqualTo(new PhoneSubmission("juliet", "wherefore-art-thou", "138 0013 8000", "407513",
                "2001-05-17", true, "V4.2.7"));
        assertThat(PhoneNumbers.toE164(s.phone(), "CN")).contains("+8613800138000");
    }

    /** Same names, namespaces, attributes, trimmed text and children in order. */
    static void assertSame(Element actual, Element expected) {
        assertThat(describe(actual)).isEqualTo(describe(expected));
    }

    static String describe(Element e) {
        StringBuilder out = new StringBuilder();
        describe(e, out, "");
        return out.toString();
    }

    private static void describe(Element e, StringBuilder out, String indent) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Attribute a : e.attributes()) {
            attributes.put(a.getQualifiedName(), a.getValue());
        }
        out.append(indent).append('{').append(e.getNamespaceURI()).append('}').append(e.getName())
                .append(new java.util.TreeMap<>(attributes)).append(' ').append(e.getTextTrim()).append('\n');
        for (Element child : e.elements()) {
            describe(child, out, indent + "  ");
        }
    }
}
