package im.tongyou.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.testkit.RawXmppClient;
import im.tongyou.testkit.TongyouServerExtension;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/**
 * A raw client for the consent extension's tests: phone registration before authentication
 * ({@code xeps/tongyou-register.md}), then IQs of {@code urn:tongyou:consent:0} as a logged-in user,
 * with every answer parsed and the stanzas that came meanwhile kept.
 */
final class ConsentClient implements Closeable {

    static final String NS = "urn:tongyou:consent:0";
    static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final String REGISTER_NS = "urn:tongyou:register:0";

    private final RawXmppClient raw;
    private final StringBuilder buffer = new StringBuilder();
    private final List<Element> others = new ArrayList<>();
    private int ids;

    private ConsentClient(RawXmppClient raw) {
        this.raw = raw;
    }

    /** Registers an account in phone mode, with policy acceptance; returns the server's answer. */
    static Element register(TongyouServerExtension server, String username, String typed, String e164, String birthday)
            throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.openStream();
            raw.startTls();
            ConsentClient c = new ConsentClient(raw);
            Element sent = c.iq("set", "<request-code xmlns='" + REGISTER_NS + "'><phone>" + typed + "</phone></request-code>");
            if (!"result".equals(sent.attributeValue("type"))) {
                throw new AssertionError(sent.asXML());
            }
            String code = lastCode(server.dataDir(), e164);
            Map<String, String> fields = Map.of("username", username, "password", "s3cret-pass", "phone", typed,
                    "sms-code", code, "birthday", birthday, "accept-policy", "1", "policy-version", "V4.2.7");
            StringBuilder form = new StringBuilder("<query xmlns='jabber:iq:register'><x xmlns='jabber:x:data' type='submit'>"
                    + "<field var='FORM_TYPE' type='hidden'><value>" + REGISTER_NS + "</value></field>");
            fields.forEach((var, value) -> form.append("<field var='").append(var).append("'><value>").append(value)
                    .append("</value></field>"));
            return c.iq("set", form.append("</x></query>").toString());
        }
    }

    /** Logs in with a raw session and sends the initial presence. */
    static ConsentClient login(TongyouServerExtension server, String username) throws IOException {
        RawXmppClient raw = server.raw();
        raw.login(username, "s3cret-pass", "phone");
        ConsentClient c = new ConsentClient(raw);
        c.send("<presence/>");
        return c;
    }

    void send(String xml) throws IOException {
        raw.send(xml);
    }

    /** Sends an IQ to the server and returns its answer. */
    Element iq(String type, String payload) throws IOException {
        return iqTo(null, type, payload);
    }

    /** Sends an IQ (to the server when {@code to} is null) and returns its answer. */
    Element iqTo(String to, String type, String payload) throws IOException {
        String id = "c" + (++ids);
        raw.send("<iq type='" + type + "' id='" + id + "'" + (to == null ? "" : " to='" + to + "'") + ">" + payload
                + "</iq>");
        return awaitStanza(e -> "iq".equals(e.getName()) && id.equals(e.attributeValue("id")));
    }

    /** The consent extension's child of a result, failing on an error. */
    Element result(String type, String payload) throws IOException {
        Element iq = iq(type, payload);
        if (!"result".equals(iq.attributeValue("type"))) {
            throw new AssertionError("expected a result: " + iq.asXML());
        }
        return iq.elements().isEmpty() ? null : iq.elements().get(0);
    }

    /** Waits for a stanza matching the test (others are kept for {@link #awaitStanza} later). */
    Element awaitStanza(java.util.function.Predicate<Element> test) throws IOException {
        for (Element e : others) {
            if (test.test(e)) {
                others.remove(e);
                return e;
            }
        }
        while (true) {
            Element e = next();
            if (test.test(e)) {
                return e;
            }
            others.add(e);
        }
    }

    /** Reads the next complete top-level stanza. */
    private Element next() throws IOException {
        while (true) {
            Element parsed = parseFirst();
            if (parsed != null) {
                return parsed;
            }
            try {
                buffer.append(raw.readUntilAny("</iq>", "</message>", "</presence>", "/>"));
            } catch (IOException e) {
                throw new IOException(e.getMessage() + "; unread: " + buffer + "; other stanzas: "
                        + others.stream().map(Element::asXML).toList() + "; all: " + raw.received(), e);
            }
        }
    }

    private Element parseFirst() {
        int start = firstStanza();
        if (start < 0) {
            return null;
        }
        for (int end = buffer.indexOf(">", start); end >= 0; end = buffer.indexOf(">", end + 1)) {
            try {
                Element e = DocumentHelper.parseText(buffer.substring(start, end + 1)).getRootElement();
                buffer.delete(0, end + 1);
                return e;
            } catch (DocumentException notYet) {
                // not a complete element yet
            }
        }
        return null;
    }

    private int firstStanza() {
        int best = -1;
        for (String tag : new String[] {"<iq", "<message", "<presence"}) {
            int i = buffer.indexOf(tag);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** The stanza error condition of an answer, or {@code null}. */
    static String condition(Element stanza) {
        Element error = stanza.element("error");
        return error == null ? null : error.elements().stream().filter(e -> STANZAS.equals(e.getNamespaceURI())
                && !"text".equals(e.getName())).map(Element::getName).findFirst().orElse(null);
    }

    /** The consent extension's condition of an answer, or {@code null}. */
    static String appCondition(Element stanza) {
        Element error = stanza.element("error");
        return error == null ? null : error.elements().stream().filter(e -> NS.equals(e.getNamespaceURI()))
                .map(Element::getName).findFirst().orElse(null);
    }

    /** The six-digit code of the latest SMS to the number in the development outbox. */
    static String lastCode(Path dataDir, String e164) throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("sms-outbox.log"));
        ObjectMapper json = new ObjectMapper();
        for (int i = lines.size() - 1; i >= 0; i--) {
            JsonNode line = json.readTree(lines.get(i));
            if (e164.equals(line.get("to").asText())) {
                Matcher m = Pattern.compile("验证码是?(\\d{6})").matcher(line.get("text").asText());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("no SMS to that number in the outbox");
    }

    /** The SMS sent to the number, oldest first. */
    static List<String> smsTo(Path dataDir, String e164) throws IOException {
        List<String> texts = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(dataDir.resolve("sms-outbox.log"))) {
            JsonNode node = json.readTree(line);
            if (e164.equals(node.get("to").asText())) {
                texts.add(node.get("text").asText());
            }
        }
        return texts;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
