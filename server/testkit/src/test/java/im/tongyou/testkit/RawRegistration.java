package im.tongyou.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/**
 * A raw client after STARTTLS and before authentication, for the phone registration flow of
 * {@code xeps/tongyou-register.md}, which Smack's AccountManager cannot express: it sends IQs and
 * returns the server's answers parsed, and reads codes from the development SMS outbox.
 */
final class RawRegistration implements Closeable {

    static final String REGISTER = "jabber:iq:register";
    static final String NS = "urn:tongyou:register:0";

    private final RawXmppClient raw;
    private final String features;
    private int ids;

    private RawRegistration(RawXmppClient raw) throws IOException {
        this.raw = raw;
        raw.openStream();
        raw.startTls();
        this.features = raw.received();
    }

    /** Opens a stream, negotiates TLS and stops before authentication. */
    static RawRegistration open(TongyouServerExtension server) throws IOException {
        return new RawRegistration(server.raw());
    }

    /** Everything the server sent up to the features after TLS. */
    String features() {
        return features;
    }

    /** Sends an IQ of the given type with the payload and returns the answer. */
    Element iq(String type, String payload) throws IOException {
        String id = "r" + (++ids);
        raw.send("<iq type='" + type + "' id='" + id + "'>" + payload + "</iq>");
        return readIq();
    }

    /** Asks for an SMS code. */
    Element requestCode(String phone) throws IOException {
        return iq("set", "<request-code xmlns='" + NS + "'><phone>" + phone + "</phone></request-code>");
    }

    /** Submits the phone form with these fields (FORM_TYPE added). */
    Element submit(Map<String, String> fields) throws IOException {
        StringBuilder form = new StringBuilder("<query xmlns='" + REGISTER + "'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>" + NS + "</value></field>");
        fields.forEach((var, value) -> form.append("<field var='").append(var).append("'><value>").append(value)
                .append("</value></field>"));
        return iq("set", form.append("</x></query>").toString());
    }

    /** The answer's error condition (RFC 6120 §8.3.3), or {@code null} for a result. */
    static String condition(Element iq) {
        Element error = iq.element("error");
        if (error == null) {
            return null;
        }
        for (Element e : error.elements()) {
            if ("urn:ietf:params:xml:ns:xmpp-stanzas".equals(e.getNamespaceURI()) && !"text".equals(e.getName())) {
                return e.getName();
            }
        }
        return null;
    }

    /** The answer's application-specific condition in our namespace, or {@code null}. */
    static String appCondition(Element iq) {
        Element error = iq.element("error");
        if (error == null) {
            return null;
        }
        return error.elements().stream().filter(e -> NS.equals(e.getNamespaceURI())).map(Element::getName)
                .findFirst().orElse(null);
    }

    /** The latest code sent to the number, read from the development outbox (one JSON line per SMS). */
    static String lastCode(Path dataDir, String e164) throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("sms-outbox.log"));
        ObjectMapper json = new ObjectMapper();
        for (int i = lines.size() - 1; i >= 0; i--) {
            JsonNode line = json.readTree(lines.get(i));
            if (e164.equals(line.get("to").asText())) {
                Matcher m = Pattern.compile("\\d{6}").matcher(line.get("text").asText());
                if (m.find()) {
                    return m.group();
                }
            }
        }
        throw new AssertionError("no SMS to that number in the outbox");
    }

    /** Reads one complete IQ. */
    Element readIq() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            text.append(raw.readUntilAny("</iq>", "/>"));
            int start = text.indexOf("<iq");
            if (start >= 0) {
                try {
                    return DocumentHelper.parseText(text.substring(start)).getRootElement();
                } catch (DocumentException e) {
                    // not complete yet
                }
            }
        }
    }

    RawXmppClient raw() {
        return raw;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
