package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.caps.packet.CapsExtension;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entity capabilities (XEP-0115) both ways: the server announces its own in the stream features,
 * and learns what its clients advertise, asking each new verification string once and checking it.
 */
class EntityCapsE2ETest {

    /** A database the test can look into, to see which strings the server accepted. */
    static final String DB = "jdbc:h2:mem:caps-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder().set("database.url", DB).build();

    static final String DOMAIN = TongyouServerExtension.DOMAIN;

    @BeforeAll
    static void users() throws Exception {
        // Loading the manager registers it for every connection created from now on, so that it
        // computes the client's caps at login like an application's would.
        EntityCapsManager.clearMemoryCache();
        for (String user : List.of("romeo", "juliet", "tybalt")) {
            server.createUser(user, user + "-secret");
        }
    }

    @Test
    void theServersCapsInTheStreamFeaturesMatchItsDiscoInfo() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "romeo-secret");

        CapsExtension caps = romeo.getFeature(CapsExtension.QNAME);
        assertThat(caps).isNotNull();
        assertThat(caps.getHash()).isEqualTo("sha-1");
        assertThat(caps.getNode()).isEqualTo("https://tongyou.im/server");
        ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(romeo);
        DiscoverInfo info = disco.discoverInfo(romeo.getXMPPServiceDomain());
        // Smack recomputes the string from the server's disco#info with its own implementation.
        assertThat(EntityCapsManager.verifyDiscoverInfoVersion(caps.getVer(), "sha-1", info)).isTrue();

        DiscoverInfo atNode = disco.discoverInfo(romeo.getXMPPServiceDomain(), caps.getNode() + "#" + caps.getVer());
        assertThat(atNode.getNode()).isEqualTo(caps.getNode() + "#" + caps.getVer());
        assertThat(atNode.getFeatures()).isEqualTo(info.getFeatures());
        assertThatThrownBy(() -> disco.discoverInfo(romeo.getXMPPServiceDomain(), caps.getNode() + "#stale"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                        assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
    }

    /**
     * Logs in a client with a feature of the test's own (so that no other test's client advertised
     * the same string), recording its answers to the server's disco#info requests: Smack answers
     * them itself, so the answers going out show the questions.
     */
    static XMPPTCPConnection loginRecordingQueries(String user, String feature, List<DiscoverInfo> answers)
            throws Exception {
        return server.connect(server.config(user, user + "-secret").build(), c -> {
            ServiceDiscoveryManager.getInstanceFor(c).addFeature(feature);
            c.addStanzaSendingListener(s -> answers.add((DiscoverInfo) s), s -> s instanceof DiscoverInfo d
                    && d.getType() == IQ.Type.result && DOMAIN.equals(String.valueOf(d.getTo())));
        });
    }

    @Test
    void aClientsCapsAreLearnedOnceAndVerified() throws Exception {
        String feature = "urn:tongyou:test:" + UUID.randomUUID();
        List<DiscoverInfo> romeoAnswers = new CopyOnWriteArrayList<>();
        XMPPTCPConnection romeo = loginRecordingQueries("romeo", feature, romeoAnswers); // presence with <c/>
        server.sync(romeo);
        String ver = EntityCapsManager.getInstanceFor(romeo).getCapsVersionAndHash().version;

        awaitStored(ver);
        assertThat(stored(ver).orElseThrow()).contains(feature);
        server.sync(romeo); // Smack notes what it sent after writing it: give the listener a round trip
        assertThat(romeoAnswers).singleElement().satisfies(a -> assertThat(a.getNode()).endsWith("#" + ver));

        List<DiscoverInfo> julietAnswers = new CopyOnWriteArrayList<>();
        XMPPTCPConnection juliet = loginRecordingQueries("juliet", feature, julietAnswers);
        server.sync(juliet);
        assertThat(EntityCapsManager.getInstanceFor(juliet).getCapsVersionAndHash().version).isEqualTo(ver);
        server.sync(juliet); // a request sent before the first pong would have been answered by now
        assertThat(julietAnswers).isEmpty(); // the same software: the server already knows
    }

    @Test
    void aStringThatDoesNotMatchItsInfoIsNotCached() throws Exception {
        String info = "<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='client' type='pc' name='Liar 1.0'/>"
                + "<feature var='http://jabber.org/protocol/disco#info'/><feature var='urn:xmpp:jingle:1'/></query>";
        String trueVer = sha1("client/pc//Liar 1.0<http://jabber.org/protocol/disco#info<urn:xmpp:jingle:1<");
        try (RawXmppClient tybalt = server.raw()) {
            tybalt.login("tybalt", "tybalt-secret", "street");
            tybalt.send("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:liar'"
                    + " ver='Zm9yZ2VkLXZlcnNpb24tc3RyaW5n'/></presence>");
            answerDiscoInfo(tybalt, info);
            tybalt.send("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:liar'"
                    + " ver='" + trueVer + "'/></presence>");
            answerDiscoInfo(tybalt, info); // asked again: the forged string taught the server nothing

            awaitStored(trueVer);
            assertThat(stored("Zm9yZ2VkLXZlcnNpb24tc3RyaW5n")).isEmpty();
        }
    }

    private static void answerDiscoInfo(RawXmppClient client, String query) throws Exception {
        String request = client.readUntil("</iq>");
        assertThat(request).contains("http://jabber.org/protocol/disco#info").contains("type=\"get\"");
        Matcher id = Pattern.compile("id=\"([^\"]+)\"").matcher(request.substring(request.indexOf("<iq")));
        assertThat(id.find()).isTrue();
        client.send("<iq type='result' to='" + DOMAIN + "' id='" + id.group(1) + "'>" + query + "</iq>");
    }

    private static String sha1(String s) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The disco#info XML the server recorded for a string, if any. */
    private static Optional<String> stored(String ver) throws Exception {
        try (Connection c = DriverManager.getConnection(DB);
             PreparedStatement ps = c.prepareStatement("SELECT info FROM caps_ver WHERE hash = 'sha-1' AND ver = ?")) {
            ps.setString(1, ver);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Waits (10 s at most) until the server has verified and recorded the string. */
    private static void awaitStored(String ver) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stored(ver).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not record caps " + ver);
            }
            Thread.sleep(20);
        }
    }
}
