package im.tongyou.server.feature.vcard;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.Roster;
import im.tongyou.api.roster.RosterItem;
import im.tongyou.server.feature.FeatureDatabase;
import im.tongyou.server.feature.SpecExamples;
import im.tongyou.server.feature.StoredXml;
import im.tongyou.server.feature.TestClock;
import im.tongyou.server.storage.TestDatabases;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * Every example of {@code xeps/tongyou-profile.md}: profile elements round-trip through
 * {@link ProfileElement} and validate against the spec's schema, and the story of use cases and
 * errors, played in order against the real handlers, gets exactly the responses the spec shows.
 */
class ProfileSpecTest {

    static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    @TempDir
    Path dir;
    FeatureDatabase db;
    VCardIqHandler vcards;
    ProfileIqHandler profiles;
    List<Element> blocks = new ArrayList<>();
    String schema;

    /** Romeo is Juliet's contact; nobody else is anybody's. */
    static final class OneContact implements Roster {
        @Override
        public List<RosterItem> items(String username) {
            return List.of();
        }

        @Override
        public Optional<RosterItem> item(String username, JID contact) {
            return Optional.empty();
        }

        @Override
        public boolean isContact(String username, JID viewer) {
            return username.equals("juliet") && viewer.toBareJID().equals("romeo@tongyou.example");
        }
    }

    @BeforeEach
    void open() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-29T08:00:00Z"));
        db = FeatureDatabase.open(TestDatabases.Kind.H2, dir, clock, "im/tongyou/server/feature/vcard/changelog.xml");
        VCardStore store = new VCardStore(db.dataSource(), db.crypto(), clock);
        ProfileAccess access = new ProfileAccess(new OneContact(), "tongyou.example");
        vcards = new VCardIqHandler(store, access, 131_072);
        profiles = new ProfileIqHandler(store, access, clock);
        List<String> texts = SpecExamples.xmlBlocks(SpecExamples.spec("tongyou-profile.md"));
        schema = texts.get(texts.size() - 1);
        for (String text : texts.subList(0, texts.size() - 1)) {
            blocks.add(StoredXml.parse(text));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    List<Element> profileElements() {
        List<Element> found = new ArrayList<>();
        for (Element block : blocks) {
            collect(block, found);
        }
        return found;
    }

    static void collect(Element e, List<Element> found) {
        if (e.getQName().equals(QName.get("profile", ProfileElement.NS))) {
            found.add(e);
        }
        e.elements().forEach(c -> collect(c, found));
    }

    @Test
    void everyProfileElementRoundTrips() {
        List<Element> elements = profileElements();
        assertThat(elements).hasSizeGreaterThan(15);
        for (Element e : elements) {
            Element again = ProfileElement.from(e).toElement();
            assertThat(SpecExamples.same(e, again)).as(e.asXML() + " -> " + again.asXML()).isTrue();
        }
    }

    @Test
    void theValidExamplesFollowTheSchema() throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Schema xsd = factory.newSchema(new StreamSource(new StringReader(schema)));
        int validated = 0;
        for (Element block : blocks) {
            boolean errorCase = block.attributeValue("id", "").startsWith("e");
            List<Element> found = new ArrayList<>();
            collect(block, found);
            for (Element e : found) {
                if (!errorCase) {
                    xsd.newValidator().validate(new StreamSource(new StringReader(e.asXML())));
                    validated++;
                }
            }
        }
        assertThat(validated).isGreaterThan(10);
        // And the invalid values of the error examples are invalid for the schema too (but the date,
        // which only the server's calendar check refuses).
        assertThat(invalid(xsd, "<profile xmlns='urn:tongyou:profile:0'><gender>unknown</gender></profile>")).isTrue();
        assertThat(invalid(xsd, "<profile xmlns='urn:tongyou:profile:0'><visibility>x</visibility></profile>")).isTrue();
        assertThat(invalid(xsd, "<profile xmlns='urn:tongyou:profile:0'><nickname>" + "n".repeat(65)
                + "</nickname></profile>")).isTrue();
    }

    static boolean invalid(Schema xsd, String xml) {
        try {
            xsd.newValidator().validate(new StreamSource(new StringReader(xml)));
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    @Test
    void theStoryGetsTheResponsesTheSpecShows() {
        int played = 0;
        for (int i = 0; i + 1 < blocks.size(); i++) {
            Element request = blocks.get(i);
            Element expected = blocks.get(i + 1);
            if (!isRequest(request) || !request.attributeValue("id").equals(expected.attributeValue("id"))) {
                continue;
            }
            IQ iq = new IQ(request.createCopy(), true);
            Element payload = iq.getChildElement();
            if (!payload.getNamespaceURI().equals(ProfileElement.NS) && !payload.getNamespaceURI().equals(VCardElement.NS)) {
                continue; // disco: another plugin's
            }
            Element actual = play(iq);
            String where = "example " + request.attributeValue("id");
            assertThat(actual.attributeValue("type")).as(where).isEqualTo(expected.attributeValue("type"));
            if ("error".equals(expected.attributeValue("type"))) {
                Element want = expected.element("error");
                Element got = actual.element("error");
                assertThat(got.attributeValue("type")).as(where).isEqualTo(want.attributeValue("type"));
                assertThat(names(got)).as(where).isEqualTo(names(want));
            } else {
                List<Element> want = expected.elements();
                List<Element> got = actual.elements();
                assertThat(got).as(where).hasSameSizeAs(want);
                if (!want.isEmpty()) {
                    assertThat(SpecExamples.same(want.get(0), got.get(0))).as(where + ": " + got.get(0).asXML()).isTrue();
                }
            }
            played++;
        }
        assertThat(played).isEqualTo(14); // p1-p8, v1, v2, e1-e4
    }

    static boolean isRequest(Element e) {
        return "iq".equals(e.getName()) && ("get".equals(e.attributeValue("type")) || "set".equals(e.attributeValue("type")));
    }

    /** The conditions of an error; its optional human-readable {@code <text/>} is not part of the spec. */
    static List<String> names(Element error) {
        return error.elements().stream().filter(e -> !"text".equals(e.getName()))
                .map(e -> e.getName() + "|" + e.getNamespaceURI()).toList();
    }

    /** Routes the request as the router would (own account or another user), and answers as it would. */
    Element play(IQ iq) {
        boolean own = iq.getTo() == null || iq.getTo().toBareJID().equals(iq.getFrom().toBareJID());
        boolean profile = iq.getChildElement().getNamespaceURI().equals(ProfileElement.NS);
        boolean get = iq.getType() == IQ.Type.get;
        try {
            IQ reply;
            if (profile) {
                reply = get ? (own ? profiles.getOwn(iq) : profiles.getOther(iq)) : (own ? profiles.setOwn(iq) : profiles.setOther(iq));
            } else {
                reply = get ? (own ? vcards.getOwn(iq) : vcards.getOther(iq)) : (own ? vcards.setOwn(iq) : vcards.setOther(iq));
            }
            return reply.getElement();
        } catch (StanzaErrorException e) {
            IQ error = iq.createCopy();
            error.setType(IQ.Type.error);
            error.setError(e.toPacketError());
            return error.getElement();
        }
    }
}
