package im.tongyou.server.feature.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/**
 * The examples of {@code xeps/tongyou-rights.md} are tests: every payload in our namespace is valid
 * against the schema of §7, and so is what the server builds.
 */
class RightsElementTest {

    static final Path SPEC = Path.of("../../xeps/tongyou-rights.md");

    static List<String> xmlBlocks() throws Exception {
        Matcher m = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(SPEC));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    static Schema schema() throws Exception {
        String xsd = xmlBlocks().stream().filter(b -> b.contains("<xs:schema")).findFirst().orElseThrow();
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        return factory.newSchema(new StreamSource(new StringReader(xsd)));
    }

    static void validate(Schema schema, Element payload) throws Exception {
        schema.newValidator().validate(new StreamSource(new StringReader(payload.asXML())));
    }

    @Test
    void everyExamplePayloadIsValid() throws Exception {
        Schema schema = schema();
        int checked = 0;
        for (String block : xmlBlocks()) {
            Element root = DocumentHelper.parseText(block).getRootElement();
            if (!root.getName().equals("iq")) {
                continue;
            }
            for (Element child : root.elements()) {
                if (RightsIqHandler.NS.equals(child.getNamespaceURI())) {
                    validate(schema, child);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(13);
    }

    @Test
    void theCorrectionRequestsOfTheSpecRoundTrip() throws Exception {
        Schema schema = schema();
        int checked = 0;
        for (String block : xmlBlocks()) {
            Element root = DocumentHelper.parseText(block).getRootElement();
            Element correction = root.element(org.dom4j.QName.get("correction", RightsIqHandler.NS));
            if (!root.getName().equals("iq") || !"set".equals(root.attributeValue("type")) || correction == null) {
                continue;
            }
            Element again = CorrectionElement.from(correction).toElement();
            validate(schema, again);
            assertThat(CorrectionElement.from(again)).isEqualTo(CorrectionElement.from(correction));
            assertThat(CorrectionElement.fromJson(CorrectionElement.from(correction).toJson()))
                    .isEqualTo(CorrectionElement.from(correction));
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    @Test
    void aRefusalNamesItsReasonAndTheComplaintChannel() throws Exception {
        Instant t = Instant.parse("2026-11-29T08:00:00Z");
        Element request = RightsIqHandler.requestElement(new RightsStore.Request("id-2", "romeo", "correction", t, t,
                t.plusSeconds(86400), t.plusSeconds(7 * 86400), null, 0, "refused", "identity-unverified"), "12377");
        Element list = DocumentHelper.createElement(org.dom4j.QName.get("requests", RightsIqHandler.NS));
        list.add(request);
        validate(schema(), list);
        assertThat(request.attributeValue("reason")).isEqualTo("identity-unverified");
        assertThat(request.elementText(org.dom4j.QName.get("complaint", RightsIqHandler.NS))).isEqualTo("12377");
        assertThat(request.attributeValue("downloads")).as("a correction has no link").isNull();
    }

    @Test
    void whatTheServerBuildsIsValidAndTheSchemaRefusesNonsense() throws Exception {
        Schema schema = schema();
        Instant t = Instant.parse("2026-11-29T08:00:00Z");
        Element request = RightsIqHandler.requestElement(new RightsStore.Request("id-1", "romeo", "export", t, t, t,
                t.plusSeconds(7 * 86400), t.plusSeconds(86400), 2, "done", null), "complain here");
        Element requests = DocumentHelper.createElement(org.dom4j.QName.get("requests", RightsIqHandler.NS));
        requests.add(request);
        validate(schema, requests);
        assertThat(request.attributeValue("downloads")).isEqualTo("2");

        Element bad = DocumentHelper.createElement(org.dom4j.QName.get("requests", RightsIqHandler.NS));
        bad.addElement(org.dom4j.QName.get("request", RightsIqHandler.NS)).addAttribute("id", "x")
                .addAttribute("kind", "delete-everything").addAttribute("received", "yesterday");
        assertThatThrownBy(() -> validate(schema, bad)).isInstanceOf(SAXException.class);
    }
}
