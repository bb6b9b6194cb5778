package im.tongyou.testkit;

import static im.tongyou.testkit.ImClients.bare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.geoloc.GeoLocationManager;
import org.jivesoftware.smackx.geoloc.packet.GeoLocation;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.usertune.UserTuneManager;
import org.jivesoftware.smackx.usertune.element.UserTuneElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * PEP (XEP-0163) with Smack's PepManager and UserTuneManager: Romeo publishes his tune, his contact
 * Juliet is told at once and again when she logs in later (last published item on presence, §4.3.2),
 * the stranger Tybalt is not (default access model "presence", §4.3.1); the location node of
 * XEP-0080 is refused (privacy rule AC-27). Notifications by interest ({@code node+notify}, §4.1)
 * rest on the clients' capabilities (XEP-0115) as the caps feature verifies them.
 */
class PepE2ETest {

    static final String TUNE = "http://jabber.org/protocol/tune";

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        PubSubClients.registerErrorConditions();
        Roster.setDefaultSubscriptionMode(Roster.SubscriptionMode.manual);
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
        server.createUser("tybalt", "prince-of-cats");
        server.createUser("mercutio", "queen-mab");
        server.createUser("benvolio", "keep-the-peace");
        server.createUser("paris", "county-paris");
        server.createUser("rosaline", "fair-rosaline");
    }

    record Heard(EntityBareJid from, UserTuneElement tune) {
    }

    static XMPPTCPConnection listening(String user, String password, BlockingQueue<Heard> heard) throws Exception {
        // PepManager, unlike UserTuneManager, can be set up before login, so the first presence has tune+notify.
        return server.connect(server.config(user, password).build(), c -> PepManager.getInstanceFor(c)
                .addPepEventListener(TUNE, UserTuneElement.class, (from, tune, id, message) -> heard.add(new Heard(from, tune))));
    }

    static UserTuneElement tune(String title) {
        return UserTuneElement.getBuilder().setArtist("Balthasar").setTitle(title).setLength(180).build();
    }

    @Test
    void contactsHearTheTuneAndStrangersDoNot() throws Exception {
        BlockingQueue<Heard> julietHeard = new LinkedBlockingQueue<>();
        BlockingQueue<Heard> tybaltHeard = new LinkedBlockingQueue<>();
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = listening("juliet", "capulet-secret", julietHeard);
        XMPPTCPConnection tybalt = listening("tybalt", "prince-of-cats", tybaltHeard);
        ImClients.befriend(romeo, juliet);
        server.sync(tybalt);

        assertThat(PepManager.getInstanceFor(romeo).isSupported()).isTrue();
        UserTuneManager.getInstanceFor(romeo).publishUserTune(tune("Mantua Nights"));

        Heard heard = julietHeard.poll(10, TimeUnit.SECONDS);
        assertThat((Object) heard).isNotNull();
        assertThat(heard.from().toString()).isEqualTo(bare("romeo").toString());
        assertThat(heard.tune().getTitle()).isEqualTo("Mantua Nights");
        assertThat(heard.tune().getLength().intValue()).isEqualTo(180);

        // Tybalt sees nothing; Romeo's next tune reaching Juliet shows the first was processed for everyone.
        UserTuneManager.getInstanceFor(romeo).publishUserTune(tune("Verona Dawn"));
        // XEP-0163 §4.3.2 may send the last item again when Juliet's presence with +notify arrives
        // late: a repeat of the first tune is allowed before the second.
        Heard next = julietHeard.poll(10, TimeUnit.SECONDS);
        while (next != null && "Mantua Nights".equals(next.tune().getTitle())) {
            next = julietHeard.poll(10, TimeUnit.SECONDS);
        }
        assertThat((Object) next).isNotNull();
        assertThat(next.tune().getTitle()).isEqualTo("Verona Dawn");
        assertThat(tybaltHeard).isEmpty();
        // Nor may he read the node: its access model is "presence" (XEP-0060 §6.1.3.2).
        XMPPErrorException refused = assertThrows(XMPPErrorException.class, () -> PubSubClients.request(tybalt,
                bare("romeo"), IQ.Type.get, "<items node='" + TUNE + "'/>"));
        assertThat(refused.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_authorized);

        // Juliet's second device, logging in later, gets the last published tune (XEP-0163 §4.3.2).
        BlockingQueue<Heard> laptopHeard = new LinkedBlockingQueue<>();
        listening("juliet", "capulet-secret", laptopHeard);
        Heard last = laptopHeard.poll(10, TimeUnit.SECONDS);
        assertThat((Object) last).isNotNull();
        assertThat(last.tune().getTitle()).isEqualTo("Verona Dawn");
        assertThat(tybaltHeard).isEmpty();
    }

    @Test
    void aContactSubscribedExplicitlyHearsTheTuneAndAStrangerMayNotSubscribe() throws Exception {
        XMPPTCPConnection mercutio = server.login("mercutio", "queen-mab");
        XMPPTCPConnection benvolio = server.login("benvolio", "keep-the-peace"); // no tune+notify: no listener
        XMPPTCPConnection tybalt = server.login("tybalt", "prince-of-cats");
        ImClients.befriend(mercutio, benvolio);
        UserTuneManager.getInstanceFor(mercutio).publishUserTune(tune("Mantua Nights")); // creates the node

        // XEP-0163 §4.3: explicit subscriptions to a PEP node are allowed by the access model.
        LeafNode benvolioView = PubSubManager.getInstanceFor(benvolio, bare("mercutio")).getLeafNode(TUNE);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        benvolioView.addItemEventListener(event -> event.getItems().forEach(i -> heard.add(((Item) i).toXML().toString())));
        benvolioView.subscribe(benvolio.getUser().asEntityBareJid());
        assertThat(heard.poll(10, TimeUnit.SECONDS)).contains("Mantua Nights"); // XEP-0060 §6.1.7: the last item

        UserTuneManager.getInstanceFor(mercutio).publishUserTune(tune("Verona Dawn"));
        assertThat(heard.poll(10, TimeUnit.SECONDS)).contains("Verona Dawn").contains("180");
        benvolioView.unsubscribe(benvolio.getUser().asEntityBareJid().toString());
        UserTuneManager.getInstanceFor(mercutio).publishUserTune(tune("Queen Mab"));
        server.sync(mercutio);
        server.sync(benvolio);
        assertThat(heard).isEmpty();

        // Tybalt, not in Mercutio's roster, may neither subscribe nor read (access model "presence").
        // His disco does not show the node (XEP-0060 §5.3), and the requests themselves are refused.
        XMPPErrorException hidden = assertThrows(XMPPErrorException.class,
                () -> PubSubManager.getInstanceFor(tybalt, bare("mercutio")).getLeafNode(TUNE));
        assertThat(hidden.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        XMPPErrorException notSubscribed = assertThrows(XMPPErrorException.class, () -> PubSubClients.request(tybalt,
                bare("mercutio"), IQ.Type.set, "<subscribe node='" + TUNE + "' jid='" + bare("tybalt") + "'/>"));
        assertThat(notSubscribed.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_authorized);
        assertThat((Object) notSubscribed.getStanzaError().getExtension("presence-subscription-required",
                PubSubClients.ERRORS)).isNotNull();
        XMPPErrorException notRead = assertThrows(XMPPErrorException.class, () -> PubSubClients.request(tybalt,
                bare("mercutio"), IQ.Type.get, "<items node='" + TUNE + "'/>"));
        assertThat(notRead.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_authorized);
    }

    @Test
    void anOwnerReadsAndRetractsHisOwnItems() throws Exception {
        XMPPTCPConnection romeo = server.login("romeo", "montague-secret");
        PepManager pep = PepManager.getInstanceFor(romeo);
        SimplePayload status = new SimplePayload("<status xmlns='urn:example:status'><happy/></status>");
        pep.publish("urn:example:status", new PayloadItem<>("current", status));

        LeafNode node = pep.getPepPubSubManager().getLeafNode("urn:example:status");
        assertThat(node.<PayloadItem<SimplePayload>>getItems()).singleElement()
                .satisfies(item -> assertThat(item.getPayload().toXML().toString()).contains("<happy"));
        node.deleteItem("current");
        assertThat(node.getItems()).isEmpty();
    }

    @Test
    void theLocationIsNeverBroadcast() throws Exception {
        BlockingQueue<Object> rosalineLocations = new LinkedBlockingQueue<>();
        BlockingQueue<UserTuneElement> tunes = new LinkedBlockingQueue<>();
        XMPPTCPConnection paris = server.login("paris", "county-paris");
        XMPPTCPConnection rosaline = server.connect(server.config("rosaline", "fair-rosaline").build(), c -> {
            GeoLocationManager.getInstanceFor(c).addGeoLocationListener((from, location, id, message) -> rosalineLocations.add(location));
            PepManager.getInstanceFor(c).addPepEventListener(TUNE, UserTuneElement.class,
                    (from, tune, id, message) -> tunes.add(tune));
        });
        ImClients.befriend(paris, rosaline);

        GeoLocation verona = GeoLocation.builder().setLat(45.4384).setLon(10.9916).setLocality("Verona").build();
        XMPPErrorException refused = assertThrows(XMPPErrorException.class,
                () -> GeoLocationManager.getInstanceFor(paris).publishGeoLocation(verona));
        assertThat(refused.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
        assertThat(refused.getStanzaError().getDescriptiveText()).contains("AC-27");
        // A geoloc payload on another node is refused too.
        XMPPErrorException disguised = assertThrows(XMPPErrorException.class, () -> PepManager.getInstanceFor(paris)
                .publish("urn:example:whereabouts", new PayloadItem<>("now", verona)));
        assertThat(disguised.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);

        // Rosaline's only notification is Paris's tune, not a location.
        UserTuneManager.getInstanceFor(paris).publishUserTune(tune("Queen Mab"));
        assertThat(tunes.poll(10, TimeUnit.SECONDS).getTitle()).isEqualTo("Queen Mab");
        // Nor is there a location node to read.
        XMPPErrorException none = assertThrows(XMPPErrorException.class, () -> PubSubManager
                .getInstanceFor(rosaline, bare("paris")).getLeafNode(GeoLocation.NAMESPACE).getItems());
        assertThat(none.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        assertThat(rosalineLocations).isEmpty();
    }
}
