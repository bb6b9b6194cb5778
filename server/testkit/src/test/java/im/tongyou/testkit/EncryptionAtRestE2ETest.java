package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Encryption at rest and clean logs (privacy requirements R-SEC-2, R-SEC-5, AC-10, AC-12), end to
 * end on H2 files, as an installation keeps them. Rosaline registers with her phone number and
 * birthday, fills in her profile with her address, registers her phone for push, receives messages
 * while offline and chats with Benvolio, sends him where she is, and asks for a copy of her data.
 * The server is then shut down (everything written to the files) and the raw bytes of every file in
 * its data directory are searched for each canary value as H2's MVStore writes strings (which is not
 * UTF-8 beyond ASCII, see {@link #h2String}), in UTF-8, UTF-16 (both byte orders) and GB18030; none
 * is found. A control value with Chinese characters, stored in clear in a table of the test's own, is
 * found by the same search: H2 writes pages uncompressed (its MVStore compresses them only when the
 * URL says {@code COMPRESS=TRUE}), so the search does see a plaintext value. Everything the server
 * logged meanwhile, at TRACE for {@code im.tongyou}, holds no phone number, SMS code, password,
 * token or message body.
 */
class EncryptionAtRestE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .fileDatabase()
            .set("server.domain", "localhost") // the export link must resolve
            .set("plugins.register.mode", "phone")
            .set("plugins.push.min-interval-seconds", "0")
            .build();

    static final String PHONE_NATIONAL = "13912345678";
    static final String PHONE_E164 = "+8613912345678";
    static final String PASSWORD = "Rosaline-pass-Qx81";
    static final String BIRTHDAY = "1998-07-23";
    static final String ADDRESS = "浙江省杭州市西湖区龙井路88号";
    static final String STREET = "Capulet Canary Lane 77";
    static final String BODY_DELIVERED = "Canary offline one: 在维罗纳的广场上 Qp93";
    static final String BODY_OFFLINE = "Canary still offline Vn28";
    static final String BODY_ARCHIVED = "Canary archived: wherefore art thou Xw45";
    static final String LATITUDE = "30.274109";
    static final String LONGITUDE = "120.155172";
    static final String DEVICE_TOKEN = "canary-device-token-Hq72";
    static final String PRIVATE_NOTE = "Canary private note Lm62";
    static final String MOOD_TEXT = "Canary mood in PEP Tr19";
    static final String CONTROL = "control-value-stored-in-clear-东门-Jd55";
    static final List<Charset> ENCODINGS = List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE,
            StandardCharsets.UTF_16LE, Charset.forName("GB18030"));

    @Test
    void noCanaryReachesTheDatabaseFilesInPlaintextOrAnyLogLine() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            secrets.putAll(converse());
            for (String table : List.of("register_user", "vcard_user", "offline_message", "mam_bucket",
                    "privatestorage_fragment", "pubsub_item", "push_device", "rights_request")) {
                assertThat(StoredData.rows(server, "SELECT COUNT(*) FROM " + table)).as("rows in %s", table).isPositive();
            }
            storeControlValue();
            assertThat(StoredData.cells(server)).as("what SQL reads back holds the control value")
                    .anyMatch(cell -> cell.contains(CONTROL));
            Map<String, String> atRest = canariesAtRest();
            for (Map.Entry<String, String> canary : atRest.entrySet()) {
                assertThat(StoredData.cells(server)).as("a cell holding the %s", canary.getKey())
                        .noneMatch(cell -> cell.contains(canary.getValue()));
            }
            server.shutdown();
            log = capture.lines();
        }

        List<Path> files = databaseFiles();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("tongyou.mv.db");
        assertThat(foundIn(files, CONTROL)).as("the byte search sees a value stored in clear").isNotEmpty();
        for (Map.Entry<String, String> canary : canariesAtRest().entrySet()) {
            assertThat(foundIn(files, canary.getValue())).as("files holding the %s in clear", canary.getKey()).isEmpty();
        }
        for (String bearer : List.of("export link token", "push secret")) {
            assertThat(foundIn(files, secrets.get(bearer))).as("files holding the %s (kept only as a hash)", bearer)
                    .isEmpty();
        }

        Map<String, String> neverLogged = new LinkedHashMap<>(secrets);
        neverLogged.put("phone number", PHONE_NATIONAL);
        neverLogged.put("password", PASSWORD);
        neverLogged.put("birthday", BIRTHDAY);
        neverLogged.put("address", ADDRESS);
        neverLogged.put("device token", DEVICE_TOKEN);
        neverLogged.put("delivered body", "Qp93");
        neverLogged.put("offline body", "Vn28");
        neverLogged.put("archived body", "Xw45");
        neverLogged.put("latitude", LATITUDE);
        neverLogged.put("private XML", PRIVATE_NOTE);
        neverLogged.put("PEP item", MOOD_TEXT);
        assertThat(log).as("the server's lines were captured").anyMatch(l -> l.contains("rosaline registered"));
        for (Map.Entry<String, String> secret : neverLogged.entrySet()) {
            Pattern whole = Pattern.compile("(?<![\\w])" + Pattern.quote(secret.getValue()) + "(?![\\w])");
            assertThat(log).as("log lines with the %s", secret.getKey())
                    .noneMatch(line -> line.contains(secret.getValue()) && (secret.getValue().length() > 6
                            || whole.matcher(line).find()));
        }
    }

    /** Every canary that must not be stored in clear, by what it is. */
    private static Map<String, String> canariesAtRest() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("phone number (national)", PHONE_NATIONAL);
        c.put("phone number (E.164)", PHONE_E164);
        c.put("birthday", BIRTHDAY);
        c.put("address (profile region)", ADDRESS);
        c.put("street (vCard)", STREET);
        c.put("body delivered from offline storage", BODY_DELIVERED);
        c.put("body still in offline storage", BODY_OFFLINE);
        c.put("archived body", BODY_ARCHIVED);
        c.put("latitude", LATITUDE);
        c.put("longitude", LONGITUDE);
        c.put("device token", DEVICE_TOKEN);
        c.put("private XML", PRIVATE_NOTE);
        c.put("PEP item", MOOD_TEXT);
        return c;
    }

    /** The conversation; returns the secrets the server handed out (SMS code, push secret, export token). */
    private static Map<String, String> converse() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        String domain = server.domain();
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertThat(reg.requestCode(PHONE_NATIONAL).attributeValue("type")).isEqualTo("result");
            String code = RawRegistration.lastCode(server.dataDir(), PHONE_E164);
            secrets.put("SMS code", code);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("username", "rosaline");
            form.put("password", PASSWORD);
            form.put("phone", PHONE_NATIONAL);
            form.put("sms-code", code);
            form.put("birthday", BIRTHDAY);
            form.put("accept-policy", "1");
            form.put("policy-version", "V4.2.7");
            Element answer = reg.submit(form);
            assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        }
        server.createUser("benvolio", "benvolio-pass-Mk40");
        XMPPTCPConnection rosaline = server.login("rosaline", PASSWORD, "phone");
        XMPPTCPConnection benvolio = server.login("benvolio", "benvolio-pass-Mk40", "desk");
        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "profile", "urn:tongyou:profile:0", "",
                "<nickname>Rosaline</nickname><birthday>" + BIRTHDAY + "</birthday><region>" + ADDRESS + "</region>"));
        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "vCard", "vcard-temp", "",
                "<FN>Rosaline</FN><BDAY>" + BIRTHDAY + "</BDAY><ADR><HOME/><STREET>" + STREET + "</STREET>"
                        + "<REGION>" + ADDRESS + "</REGION></ADR>"));

        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "query", "jabber:iq:private", "",
                "<note xmlns='urn:example:notes'>" + PRIVATE_NOTE + "</note>"));
        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "pubsub", "http://jabber.org/protocol/pubsub", "",
                "<publish node='http://jabber.org/protocol/mood'><item id='current'>"
                        + "<mood xmlns='http://jabber.org/protocol/mood'><happy/><text>" + MOOD_TEXT + "</text></mood>"
                        + "</item></publish>"));

        Jid push = JidCreate.domainBareFrom("push." + domain);
        Element registered = XmlIq.request(rosaline, new XmlIq(IQ.Type.set, push, "register", "urn:tongyou:push:0",
                " provider='log' token='" + DEVICE_TOKEN + "'", ""));
        secrets.put("push secret", registered.attributeValue("secret"));
        assertThat(PushNotificationsManager.getInstanceFor(rosaline).enable(push, registered.attributeValue("node"),
                Map.of("secret", registered.attributeValue("secret")))).isTrue();
        server.sync(rosaline);
        rosaline.disconnect();

        Jid rosalineJid = JidCreate.entityBareFrom("rosaline@" + domain);
        benvolio.sendStanza(chat(rosalineJid, BODY_DELIVERED));
        server.sync(benvolio);
        rosaline = server.login("rosaline", PASSWORD, "phone");
        server.sync(rosaline);
        rosaline.sendStanza(chat(benvolio.getUser(), BODY_ARCHIVED));
        rosaline.sendStanza(MessageBuilder.buildMessage().to(benvolio.getUser()).ofType(Message.Type.chat)
                .setBody("I am here").addExtension(StandardExtensionElement.builder("geoloc",
                        "http://jabber.org/protocol/geoloc").addElement("lat", LATITUDE).addElement("lon", LONGITUDE)
                        .build()).build());
        server.sync(rosaline);

        Element export = XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "export", "urn:tongyou:rights:0", "", ""));
        String url = export.element(QName.get("archive", "urn:tongyou:rights:0")).attributeValue("url");
        secrets.put("export link token", url.substring(url.lastIndexOf('/') + 1));
        HttpClient http = HttpClient.newBuilder().sslContext(server.clientTls()).build();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);

        rosaline.disconnect();
        benvolio.sendStanza(chat(rosalineJid, BODY_OFFLINE));
        server.sync(benvolio);
        return secrets;
    }

    private static Message chat(Jid to, String body) {
        return MessageBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    /** A table of the test's own with a value in clear: the byte search must find it (the control). */
    private static void storeControlValue() throws Exception {
        try (Connection c = DriverManager.getConnection(server.databaseUrl())) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE scan_control (v VARCHAR(255))");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO scan_control (v) VALUES (?)")) {
                ps.setString(1, CONTROL);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Every file in the data directory except the development SMS outbox, which holds numbers and
     * codes in clear by design (README: a production deployment installs an SMS gateway instead).
     */
    private static List<Path> databaseFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(server.dataDir())) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("sms-outbox.log"))
                    .toList();
        }
    }

    /** The files whose bytes hold the value in one of the encodings, each named with the encoding. */
    private static List<String> foundIn(List<Path> files, String value) throws Exception {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        forms.put("H2 MVStore", h2String(value));
        for (Charset cs : ENCODINGS) {
            forms.put(cs.name(), value.getBytes(cs));
        }
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            forms.forEach((name, form) -> {
                if (indexOf(bytes, form) >= 0) {
                    found.add(server.dataDir().relativize(file) + " (" + name + ")");
                }
            });
        }
        return found;
    }

    /**
     * A string as H2's MVStore writes it in a page ({@code DataUtils.writeStringData}): each UTF-16
     * unit as one, two or three bytes like UTF-8, but the continuation bytes lack UTF-8's {@code 10}
     * marker bits (东, U+4E1C, is {@code e4 38 1c}, not {@code e4 b8 9c}). ASCII is the same as UTF-8.
     */
    static byte[] h2String(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xc0 | c >> 6);
                out.write(c & 0x3f);
            } else {
                out.write(0xe0 | c >> 12);
                out.write((c >> 6) & 0x3f);
                out.write(c & 0x3f);
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
