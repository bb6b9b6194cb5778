package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.tongyou.api.privacy.AuditLog;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dom4j.Document;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.dom4j.io.SAXReader;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The in-band export of {@code xeps/tongyou-rights.md} (privacy requirements AC-16, AC-26): Romeo
 * asks for a copy of his data over XMPP, downloads the archive over HTTPS with the link he got, finds
 * his roster in both the JSON and the XEP-0227 part, sees his request with its times, and the link
 * stops working when it expires. Every step is in the audit trail.
 */
class RightsE2ETest {

    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .clock(clock)
            .set("server.domain", "localhost")
            .build();

    static final String NS = "urn:tongyou:rights:0";

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    private static Element iq(RawXmppClient raw, String id, String type, String child) throws Exception {
        raw.send("<iq type='" + type + "' id='" + id + "'>" + child + "</iq>");
        String answer = raw.readUntil("id=\"" + id + "\"");
        answer = answer.substring(answer.lastIndexOf("<iq"));
        if (!answer.contains("</iq>") && !answer.endsWith("/>")) {
            answer = answer + raw.readUntil("</iq>");
        }
        answer = answer.substring(0, answer.indexOf("</iq>") < 0 ? answer.length() : answer.indexOf("</iq>") + 5);
        return DocumentHelper.parseText(answer.replaceFirst("<iq ", "<iq xmlns='jabber:client' ")).getRootElement();
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(server.clientTls()).build();
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    @Test
    void romeoExportsHisDataOverXmppAndDownloadsItOnce() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        Roster.getInstanceFor(juliet).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster.getInstanceFor(romeo).createItemAndRequestSubscription(JidCreate.entityBareFrom("juliet@localhost"),
                "Juliet", new String[] {"Verona"});
        server.sync(romeo);
        server.sync(juliet);
        server.sync(romeo);

        String url;
        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "raw");
            Element reply = iq(raw, "ex1", "set", "<export xmlns='" + NS + "'/>");
            assertThat(reply.attributeValue("type")).as(reply.asXML()).isEqualTo("result");
            Element export = reply.element(QName.get("export", NS));
            Element request = export.element(QName.get("request", NS));
            assertThat(request.attributeValue("kind")).isEqualTo("export");
            assertThat(request.attributeValue("received")).isEqualTo("2026-11-29T08:00:00Z");
            assertThat(request.attributeValue("verified")).isEqualTo("2026-11-29T08:00:00Z");
            assertThat(request.attributeValue("responded")).isEqualTo("2026-11-29T08:00:00Z");
            assertThat(request.attributeValue("deadline")).isEqualTo("2026-12-04T16:00:00Z");
            Element archive = export.element(QName.get("archive", NS));
            assertThat(archive.attributeValue("expires")).isEqualTo("2026-11-30T08:00:00Z");
            url = archive.attributeValue("url");
            assertThat(url).startsWith(server.server().httpsUrl() + "/rights/export/");
        }

        HttpResponse<byte[]> download = get(url);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("content-type")).hasValue("application/zip");
        Map<String, byte[]> files = unzip(download.body());
        assertThat(files).containsKeys("README.txt", "data.json", "xep-0227.xml");

        JsonNode json = new ObjectMapper().readTree(files.get("data.json"));
        assertThat(json.path("account").asText()).isEqualTo("romeo@localhost");
        assertThat(json.path("stores").path("roster").toString()).contains("juliet@localhost");
        assertThat(json.path("stores").path("rights").path("requests")).hasSize(1);

        SAXReader reader = new SAXReader();
        Document pie = reader.read(new StringReader(new String(files.get("xep-0227.xml"), StandardCharsets.UTF_8)));
        Element root = pie.getRootElement();
        assertThat(root.getQName()).isEqualTo(QName.get("server-data", "urn:xmpp:pie:0"));
        Element host = root.element(QName.get("host", "urn:xmpp:pie:0"));
        assertThat(host.attributeValue("jid")).isEqualTo("localhost");
        Element user = host.element(QName.get("user", "urn:xmpp:pie:0"));
        assertThat(user.attributeValue("name")).isEqualTo("romeo");
        Element item = user.element(QName.get("query", "jabber:iq:roster")).element(QName.get("item", "jabber:iq:roster"));
        assertThat(item.attributeValue("jid")).isEqualTo("juliet@localhost");
        assertThat(item.attributeValue("name")).isEqualTo("Juliet");
        assertThat(item.elementText(QName.get("group", "jabber:iq:roster"))).isEqualTo("Verona");

        assertThat(get(url.substring(0, url.length() - 2) + "xx").statusCode()).as("a wrong token").isEqualTo(404);

        try (RawXmppClient raw = server.raw()) {
            raw.login("romeo", "montague-secret", "raw2");
            Element reply = iq(raw, "rq1", "get", "<requests xmlns='" + NS + "'/>");
            assertThat(reply.element(QName.get("requests", NS)).elements()).hasSize(1);
            Element request = reply.element(QName.get("requests", NS)).element(QName.get("request", NS));
            assertThat(request.attributeValue("downloads")).isEqualTo("1");
        }
        try (RawXmppClient raw = server.raw()) {
            raw.login("juliet", "capulet-secret", "raw");
            Element reply = iq(raw, "rq2", "get", "<requests xmlns='" + NS + "'/>");
            assertThat(reply.element(QName.get("requests", NS)).elements()).as("Juliet sees only her own").isEmpty();
            raw.send("<iq type='set' id='rq3' to='romeo@localhost'><export xmlns='" + NS + "'/></iq>");
            String other = raw.readUntil("</iq>");
            raw.send("<iq type='get' id='rq4'><export xmlns='" + NS + "'/></iq>");
            String wrongType = raw.readUntil("</iq>");
            assertThat(other).as("no one asks for another's export").contains("type=\"error\"")
                    .contains("<service-unavailable");
            assertThat(wrongType).contains("type=\"error\"").contains("<service-unavailable");
        }

        clock.advance(Duration.ofHours(24));
        assertThat(get(url).statusCode()).as("the link has expired").isEqualTo(410);
        assertThat(server.server().audit().forSubject("romeo")).extracting(AuditLog.Entry::action)
                .containsSubsequence("rights.export.requested", "rights.export.downloaded");
        assertThat(server.server().audit().forSubject("romeo")).filteredOn(e -> e.action().startsWith("rights."))
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo(AuditLog.SELF)).hasSize(2);
        assertThat(server.server().audit().verify().intact()).isTrue();
    }
}
