package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.dom4j.Element;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.Test;

/**
 * Account cancellation end to end on one database (privacy requirements AC-13 (a), (c), (d), (f)): a
 * user registered by phone puts data in every core feature (registration and policy acceptance,
 * data key, roster both ways and a pending request, blocklist, last activity, a room they own and a
 * membership in someone else's room, an uploaded file, vCard and profile, private storage, a PEP
 * item and a node with an item on the pubsub service, a push registration, an archived
 * conversation, an offline message, an export request), a contact's archive, blocklist and archiving
 * preferences name the user, then the user removes the account with XEP-0077. When the erasure has
 * run, no cell of any table holds the name, the address, the phone number or its keyed hash, every
 * store reported its step, the contact's roster no longer lists the user, and the contact's archive
 * copies, blocklist and preferences name a tombstone instead (inside the archived stanzas too), as
 * does the message she left in Mercutio's offline queue when he receives it; the item she posted
 * on Juliet's node on the pubsub service is erased, and Juliet, subscribed, is told of its retraction.
 * Subclasses choose the database (H2, PostgreSQL).
 */
abstract class AccountErasureScenario {

    static final String NAME = "rosaline";
    static final String PHONE = "13912345678";
    static final String PASSWORD = "s3cret-pass";
    static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    static final String FOR_MERCUTIO = "Meet me at the orchard at dawn";

    abstract TongyouServerExtension server();

    private DataSource db() {
        return server().server().database().dataSource();
    }

    @Test
    void cancellingEraseTheUserFromEveryTable() throws Exception {
        TongyouServerExtension server = server();
        server.ensureUser("juliet", "capulet-secret");
        server.ensureUser("mercutio", "queen-mab");
        String domain = server.domain();
        String self = NAME + "@" + domain;
        registerByPhone(server);

        // Last activity: a first session ends, so the logout is recorded.
        XMPPTCPConnection first = server.login(NAME, PASSWORD, "first");
        first.disconnect();
        assertThat(StoredData.eventually(() -> count("SELECT COUNT(*) FROM lastactivity WHERE username = ?", NAME) == 1))
                .as("the logout is recorded").isTrue();

        XMPPTCPConnection rosaline = server.login(NAME, PASSWORD, "phone");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        Roster julietRoster = Roster.getInstanceFor(juliet);
        julietRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster rosalineRoster = Roster.getInstanceFor(rosaline);
        rosalineRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        rosalineRoster.createItemAndRequestSubscription(JidCreate.entityBareFrom("juliet@" + domain), "Juliet", null);
        julietRoster.createItemAndRequestSubscription(JidCreate.entityBareFrom(self), "Rosaline", null);
        // Mercutio is offline: the request waits in his pending requests.
        rosalineRoster.createItemAndRequestSubscription(JidCreate.entityBareFrom("mercutio@" + domain), "Mercutio", null);
        BlockingCommandManager.getInstanceFor(rosaline).blockContacts(List.of(JidCreate.from("tybalt@" + domain)));
        server.sync(rosaline);
        server.sync(juliet);
        assertThat(StoredData.eventually(() -> julietRoster.getEntry(JidCreate.entityBareFrom(self)) != null
                && julietRoster.getEntry(JidCreate.entityBareFrom(self)).canSeeHisPresence())).isTrue();

        // A room she owns and a room where Juliet made her a member.
        MultiUserChat own = MultiUserChatManager.getInstanceFor(rosaline).getMultiUserChat(room("rose-garden"));
        own.create(Resourcepart.from("Rose"));
        var form = own.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_persistentroom", true);
        own.sendConfigurationForm(form);
        MultiUserChat ball = MultiUserChatManager.getInstanceFor(juliet).getMultiUserChat(room("capulet-ball"));
        ball.create(Resourcepart.from("Juliet"));
        var ballForm = ball.getConfigurationForm().getFillableForm();
        ballForm.setAnswer("muc#roomconfig_persistentroom", true);
        ball.sendConfigurationForm(ballForm);
        ball.grantMembership(JidCreate.entityBareFrom(self));

        HttpFileUploadManager upload = HttpFileUploadManager.getInstanceFor(rosaline);
        upload.setTlsContext(server.clientTls());
        assertThat(upload.discoverUploadService()).isTrue();
        byte[] photo = "a photo of the garden".getBytes(StandardCharsets.UTF_8);
        URL url = upload.uploadFile(new ByteArrayInputStream(photo), "garden.txt", photo.length);
        assertThat(url).isNotNull();

        // Profile and vCard, private storage, PEP and a node of her own on the pubsub service, a push
        // registration, an archive (her copy and Juliet's), Juliet's archiving preferences and
        // blocklist naming her.
        VCard card = new VCard();
        card.setFirstName("Rosaline");
        card.setNickName("Rosaline of Verona");
        VCardManager.getInstanceFor(rosaline).saveVCard(card);
        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "profile", "urn:tongyou:profile:0", "",
                "<gender>female</gender><region>Verona</region>"));
        DefaultPrivateData prefs = new DefaultPrivateData("prefs", "urn:tongyou:test:prefs");
        prefs.setValue("theme", "roses");
        PrivateDataManager.getInstanceFor(rosaline).setPrivateData(prefs);
        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, null, "pubsub", "http://jabber.org/protocol/pubsub", "",
                "<publish node='urn:tongyou:test:garden'><item id='rose'><garden xmlns='urn:tongyou:test:garden'>"
                        + "a rose by any other name</garden></item></publish>"));
        LeafNode garden = PubSubManager.getInstanceFor(rosaline, JidCreate.bareFrom("pubsub." + domain))
                .createNode("rosalines-garden");
        garden.publish(new PayloadItem<>("bloom-1", new SimplePayload(
                "<entry xmlns='http://www.w3.org/2005/Atom'><title>Roses</title></entry>")));
        // Juliet's open node on the pubsub service, where Rosaline posts an item naming herself, next
        // to Juliet's own; Juliet is subscribed and told of retractions.
        XmlIq.request(juliet, new XmlIq(IQ.Type.set, JidCreate.domainBareFrom("pubsub." + domain), "pubsub",
                PUBSUB, "", "<create node='capulet-news'/><configure><x xmlns='jabber:x:data' type='submit'>"
                        + "<field var='FORM_TYPE' type='hidden'><value>" + PUBSUB + "#node_config</value></field>"
                        + "<field var='pubsub#publish_model'><value>open</value></field>"
                        + "<field var='pubsub#notify_retract'><value>1</value></field></x></configure>"));
        XmlIq.request(juliet, new XmlIq(IQ.Type.set, JidCreate.domainBareFrom("pubsub." + domain), "pubsub",
                PUBSUB, "", "<subscribe node='capulet-news' jid='juliet@" + domain + "'/>"));
        XmlIq.request(juliet, new XmlIq(IQ.Type.set, JidCreate.domainBareFrom("pubsub." + domain), "pubsub",
                PUBSUB, "", "<publish node='capulet-news'><item id='juliet-note'><entry xmlns='http://www.w3.org/2005/Atom'>"
                        + "<title>The ball is tonight</title></entry></item></publish>"));
        XmlIq.request(rosaline, new XmlIq(IQ.Type.set, JidCreate.domainBareFrom("pubsub." + domain), "pubsub",
                PUBSUB, "", "<publish node='capulet-news'><item id='rosaline-note'><entry xmlns='http://www.w3.org/2005/Atom'>"
                        + "<author><name>R.</name><uri>xmpp:" + self + "</uri></author><link rel='via' href='xmpp:" + self
                        + "/phone'/><title>I will not come</title></entry></item></publish>"));
        Element registered = XmlIq.request(rosaline, new XmlIq(IQ.Type.set, JidCreate.domainBareFrom("push." + domain),
                "register", "urn:tongyou:push:0", " provider='log' token='device-token-of-rosalines-phone'", ""));
        assertThat(PushNotificationsManager.getInstanceFor(rosaline).enable(JidCreate.domainBareFrom("push." + domain),
                registered.attributeValue("node"), Map.of("secret", registered.attributeValue("secret")))).isTrue();
        chat(rosaline, juliet, "A message from Rosaline to Juliet");
        // Mercutio is offline: her message waits in his queue (sealed under his key).
        rosaline.sendStanza(rosaline.getStanzaFactory().buildMessageStanza().to("mercutio@" + domain)
                .ofType(Message.Type.chat).setBody(FOR_MERCUTIO).build());
        server.sync(rosaline);
        chat(juliet, rosaline, "Juliet answers Rosaline");
        XmlIq.request(juliet, new XmlIq(IQ.Type.set, null, "prefs", "urn:xmpp:mam:2", " default='roster'",
                "<always><jid>" + self + "</jid></always><never/>"));
        BlockingCommandManager.getInstanceFor(juliet).blockContacts(List.of(JidCreate.from(self + "/phone")));
        server.sync(juliet);

        // A rights request (urn:tongyou:rights:0): an export link.
        try (RawXmppClient raw = server.raw()) {
            raw.login(NAME, PASSWORD, "raw");
            raw.send("<iq type='set' id='ex1'><export xmlns='urn:tongyou:rights:0'/></iq>");
            assertThat(raw.readUntil("</iq>")).contains("type=\"result\"").contains("/rights/export/");
        }

        // Offline messages: Rosaline's session ends, Juliet writes; Rosaline comes back without an
        // initial presence (XEP-0160 delivers at the initial presence), so the message still waits
        // when she cancels.
        rosaline.disconnect();
        server.sync(juliet);
        chat(juliet, null, "Juliet writes while Rosaline is away");
        XMPPTCPConnection quiet = server.connect(server.config(NAME, PASSWORD).setResource("quiet")
                .setSendPresence(false).build());

        byte[] phoneHash = phoneHash();
        Map<String, Long> before = rowsPerTable(NAME);
        assertThat(before.keySet()).as("the user has data in every core feature before the cancellation")
                .contains("account", "account_scram", "crypto_user_key", "register_user", "register_policy_acceptance",
                        "roster_item", "roster_pending", "blocking_item", "lastactivity", "muc_affiliation",
                        "upload_file", "rights_request", "offline_message", "privatestorage_fragment", "vcard_user",
                        "mam_bucket", "mam_prefs_jid", "pubsub_node", "pubsub_item", "push_registration", "push_device");
        assertThat(count("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = ?", NAME)).as("her archive").isEqualTo(4);
        assertThat(count("SELECT COALESCE(SUM(messages), 0) FROM mam_bucket WHERE owner = 'juliet' AND with_bare = ?", self))
                .as("Juliet's copies of their conversation").isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM offline_message WHERE username = ?", NAME)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM offline_message WHERE username = 'mercutio'")).isEqualTo(1);

        List<Stanza> retracted = new java.util.concurrent.CopyOnWriteArrayList<>();
        juliet.addAsyncStanzaListener(retracted::add, st -> st instanceof Message
                && st.toXML().toString().contains("<retract id='rosaline-note'"));
        StoredData.deleteAccount(quiet);
        assertThat(StoredData.waitUntilDisconnected(quiet)).isTrue();
        // One query: the record is written after the sessions end, so two counts could see two moments.
        assertThat(StoredData.eventually(() -> count("SELECT COUNT(*) FROM privacy_erasure WHERE completed_at IS NOT NULL")
                == 1)).as("the erasure ended").isTrue();
        assertThat(count("SELECT COUNT(*) FROM privacy_erasure")).isEqualTo(1);

        assertThat(rowsPerTable(NAME)).as("tables holding the name or address after the erasure").isEmpty();
        List<String> withHash = tablesHolding(phoneHash);
        assertThat(withHash).as("tables holding the phone number's keyed hash").isEmpty();
        assertThat(tablesHolding(PHONE.getBytes(StandardCharsets.ISO_8859_1))).as("tables holding the phone number")
                .isEmpty();

        // (f) every store reported its step.
        Set<String> stores = Set.copyOf(server.server().subjectData().providers().stream().map(p -> p.name()).toList());
        List<String> steps = new ArrayList<>();
        try (Connection c = db().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT provider FROM privacy_erasure_step")) {
            while (rs.next()) {
                steps.add(rs.getString(1));
            }
        }
        assertThat(steps).containsExactlyInAnyOrderElementsOf(stores);

        // (d) Juliet's archive keeps the conversation, addressed to a tombstone, also inside the stanzas.
        MamManager julietsArchive = MamManager.getInstanceFor(juliet);
        assertThat(julietsArchive.isSupported()).isTrue();
        MamManager.MamQuery history = julietsArchive.queryArchive(MamManager.MamQueryArgs.builder()
                .setResultPageSizeTo(50).build());
        assertThat(history.getMessages()).hasSize(3);
        for (Message m : history.getMessages()) {
            String counterpart = (m.getFrom().asBareJid().toString().startsWith("juliet@") ? m.getTo() : m.getFrom())
                    .asBareJid().toString();
            assertThat(counterpart).as(m.toXML().toString()).startsWith("deleted-").isNotEqualTo(self);
            assertThat(m.toXML().toString()).doesNotContain(NAME);
        }
        assertThat(count("SELECT COUNT(DISTINCT with_bare) FROM mam_bucket WHERE owner = 'juliet'")).isEqualTo(1);
        // Juliet's blocklist and preferences still hold her choices, about the tombstone.
        assertThat(BlockingCommandManager.getInstanceFor(juliet).getBlockList()).extracting(Object::toString)
                .singleElement().asString().startsWith("deleted-");
        assertThat(count("SELECT COUNT(*) FROM mam_prefs_jid WHERE username = 'juliet' AND jid LIKE 'deleted-%'"))
                .isEqualTo(1);

        // (d) Her message in Mercutio's offline queue is still his, from the same tombstone.
        assertThat(count("SELECT COUNT(*) FROM offline_message WHERE username = 'mercutio'")).isEqualTo(1);
        String tombstone = history.getMessages().get(0).getFrom().asBareJid().toString().startsWith("juliet@")
                ? history.getMessages().get(0).getTo().asBareJid().toString()
                : history.getMessages().get(0).getFrom().asBareJid().toString();
        XMPPTCPConnection mercutio = server.connect(server.config("mercutio", "queen-mab").setResource("home")
                .setSendPresence(false).build());
        StanzaCollector waiting = mercutio.createStanzaCollector(new AndFilter(MessageTypeFilter.CHAT,
                (Stanza st) -> st instanceof Message m && FOR_MERCUTIO.equals(m.getBody())));
        mercutio.sendStanza(mercutio.getStanzaFactory().buildPresenceStanza().build());
        Message offline = waiting.nextResult(10_000);
        waiting.cancel();
        assertThat(offline).as("the offline message is delivered").isNotNull();
        assertThat(offline.getFrom().asBareJid().toString()).isEqualTo(tombstone);
        assertThat(offline.toXML().toString()).doesNotContain(NAME);
        mercutio.disconnect();

        // Her item on Juliet's node is gone (erased, not re-addressed: it is her own content, see
        // xeps/tongyou-rights.md §6), Juliet's stays, and Juliet was told of the retraction.
        assertThat(StoredData.eventually(() -> retracted.size() == 1)).as("Juliet is told").isTrue();
        List<org.jivesoftware.smackx.pubsub.Item> news = PubSubManager.getInstanceFor(juliet,
                JidCreate.bareFrom("pubsub." + domain)).getLeafNode("capulet-news").getItems();
        assertThat(news).extracting(org.jivesoftware.smackx.pubsub.Item::getId).containsExactly("juliet-note");
        assertThat(news.get(0).toXML().toString()).doesNotContain(NAME);

        // (c) Juliet's roster no longer lists her, live.
        assertThat(StoredData.eventually(() -> julietRoster.getEntry(JidCreate.entityBareFrom(self)) == null)).isTrue();
        RosterEntry still = julietRoster.getEntry(JidCreate.entityBareFrom(self));
        assertThat(still).isNull();
        // The name is never given out again.
        assertThat(server.server().accounts().nameAvailable(NAME)).isFalse();
    }

    /** A chat message; Juliet's client knows the server got it when a ping returns. */
    private void chat(XMPPTCPConnection from, XMPPTCPConnection to, String body) throws Exception {
        String recipient = from.getUser().asBareJid().toString().startsWith("juliet@") ? NAME + "@" + server().domain()
                : "juliet@" + server().domain();
        StanzaCollector received = to == null ? null : to.createStanzaCollector(new AndFilter(MessageTypeFilter.CHAT,
                (Stanza s) -> s instanceof Message m && body.equals(m.getBody())));
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(recipient).ofType(Message.Type.chat)
                .setBody(body).build());
        server().sync(from);
        if (received != null) {
            assertThat((Stanza) received.nextResult(10_000)).as("delivered: " + body).isNotNull();
            received.cancel();
        }
    }

    private EntityBareJid room(String name) throws Exception {
        return JidCreate.entityBareFrom(name + "@conference." + server().domain());
    }

    private void registerByPhone(TongyouServerExtension server) throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            var sent = reg.requestCode(PHONE);
            assertThat(sent.attributeValue("type")).as(sent.asXML()).isEqualTo("result");
            String code = RawRegistration.lastCode(server.dataDir(), "+86" + PHONE);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("username", NAME);
            fields.put("password", PASSWORD);
            fields.put("phone", PHONE);
            fields.put("sms-code", code);
            fields.put("birthday", "2001-05-17");
            fields.put("accept-policy", "1");
            fields.put("policy-version", "V4.2.7");
            var done = reg.submit(fields);
            assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");
        }
    }

    private byte[] phoneHash() throws Exception {
        try (Connection c = db().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT phone_hash FROM register_user WHERE username = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("registered with a phone").isTrue();
                byte[] hash = rs.getBytes(1);
                assertThat(hash).isNotEmpty();
                return hash;
            }
        }
    }

    private long count(String sql, Object... args) throws Exception {
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The rows of each table with a cell that contains the text (any case), by table. */
    private Map<String, Long> rowsPerTable(String text) throws Exception {
        Map<String, Long> found = new LinkedHashMap<>();
        String needle = text.toLowerCase(Locale.ROOT);
        scan((table, cell) -> {
            String s = cell instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(cell);
            return s.toLowerCase(Locale.ROOT).contains(needle);
        }, found);
        return found;
    }

    /** The tables with a cell holding the bytes (raw, hex or Base64). */
    private List<String> tablesHolding(byte[] bytes) throws Exception {
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        String hex = HexFormat.of().formatHex(bytes);
        String b64 = java.util.Base64.getEncoder().encodeToString(bytes);
        Map<String, Long> found = new LinkedHashMap<>();
        scan((table, cell) -> {
            String s = cell instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(cell);
            return s.contains(raw) || s.toLowerCase(Locale.ROOT).contains(hex) || s.contains(b64);
        }, found);
        return new ArrayList<>(found.keySet());
    }

    @FunctionalInterface
    private interface CellTest {
        boolean matches(String table, Object cell);
    }

    /** Every row of every table of the server's schema; counts the rows with a matching cell. */
    private void scan(CellTest test, Map<String, Long> found) throws Exception {
        try (Connection c = db().getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).as("the scan sees the schema's tables").hasSizeGreaterThan(10);
            for (String table : tables) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            if (v != null && test.matches(table, v)) {
                                found.merge(table.toLowerCase(Locale.ROOT), 1L, Long::sum);
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}
