package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterGroup;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.jivesoftware.smackx.iqprivate.packet.PrivateData;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * {@code bin/tongyou export USER} on one server and {@code bin/tongyou import FILE} on a clean
 * second one (its own data directory and H2 database file, every changelog run from scratch),
 * privacy requirements AC-16: Romeo, logging in on the second server with the password the
 * administrator gave, finds the same roster (names, groups, subscriptions) and vCard (photo
 * included), his private storage, his message archive (same UIDs and times), and the message Juliet
 * sent while he was offline, still waiting; Juliet, moved
 * too, her roster. The import refuses to overwrite an account and files that are not exports.
 */
class ImportE2ETest {

    @RegisterExtension
    static TongyouServerExtension first = TongyouServerExtension.builder().set("server.domain", "localhost").build();

    @RegisterExtension
    static TongyouServerExtension second = TongyouServerExtension.builder()
            .set("server.domain", "localhost")
            .set("database.url", "jdbc:h2:file:" + freshDirectory() + "/tongyou")
            .build();

    private static String freshDirectory() {
        try {
            Path dir = Files.createTempDirectory("tongyou-import-");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code bin/tongyou ARGS} aimed at a server's data directory (its admin socket), with standard input. */
    private static CliRun cli(TongyouServerExtension server, String stdin, String... args) {
        return CliRun.run(server, stdin, args);
    }

    /** A roster entry as the comparison sees it. */
    record Item(String jid, String name, String type, boolean pending, Set<String> groups) {
        static Item of(RosterEntry e) {
            return new Item(e.getJid().toString(), e.getName(), e.getType().name(), e.isSubscriptionPending(),
                    e.getGroups().stream().map(RosterGroup::getName).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    private static Set<Item> roster(XMPPTCPConnection c) throws Exception {
        Roster roster = Roster.getInstanceFor(c);
        roster.reloadAndWait();
        return roster.getEntries().stream().map(Item::of).collect(Collectors.toSet());
    }

    /** The archive as the data export lists it: UID, time and direction of each message. */
    @SuppressWarnings("unchecked")
    private static List<String> archive(TongyouServerExtension server, String user) {
        List<Map<String, Object>> messages = (List<Map<String, Object>>) ((Map<String, Object>) server.server()
                .subjectData().exportAll(user).get("mam")).get("messages");
        return messages.stream().map(m -> m.get("id") + " " + m.get("archivedAt") + " " + m.get("direction")).toList();
    }

    @Test
    void romeoMovesToACleanServerWithHisRosterVCardStorageAndOfflineMessages() throws Exception {
        first.createUser("romeo", "montague-secret");
        first.createUser("juliet", "capulet-secret");
        first.createUser("tybalt", "prince-of-cats");
        XMPPTCPConnection romeo = first.login("romeo", "montague-secret");
        XMPPTCPConnection juliet = first.login("juliet", "capulet-secret");
        Roster.getInstanceFor(juliet).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        Roster.getInstanceFor(romeo).createItemAndRequestSubscription(JidCreate.entityBareFrom("juliet@localhost"),
                "Juliet", new String[] {"Verona", "Capulets"});
        Roster.getInstanceFor(romeo).createItem(JidCreate.entityBareFrom("mercutio@elsewhere.example"), "Mercutio",
                new String[] {"Friends"});
        first.sync(romeo);
        first.sync(juliet);
        first.sync(romeo);

        VCard card = new VCard();
        card.setFirstName("Romeo");
        card.setLastName("Montague");
        card.setNickName("罗密欧");
        card.setEmailHome("romeo@montague.example");
        card.setAvatar(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4}, "image/png");
        VCardManager.getInstanceFor(romeo).saveVCard(card);
        DefaultPrivateData prefs = new DefaultPrivateData("prefs", "urn:tongyou:test:prefs");
        prefs.setValue("theme", "moonlight");
        PrivateDataManager.getInstanceFor(romeo).setPrivateData(prefs);

        Set<Item> rosterBefore = roster(romeo);
        Set<Item> julietsBefore = roster(juliet);
        assertThat(julietsBefore).extracting(Item::jid, Item::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("romeo@localhost", "from"));
        assertThat(rosterBefore).extracting(Item::jid).containsExactlyInAnyOrder("juliet@localhost",
                "mercutio@elsewhere.example");
        VCard before = VCardManager.getInstanceFor(romeo).loadVCard();
        romeo.sendStanza(romeo.getStanzaFactory().buildMessageStanza().to("juliet@localhost")
                .ofType(Message.Type.chat).setBody("But soft, what light through yonder window breaks?").build());
        first.sync(romeo);
        romeo.disconnect();
        first.sync(juliet);
        juliet.sendStanza(juliet.getStanzaFactory().buildMessageStanza().to("romeo@localhost")
                .ofType(Message.Type.chat).setBody("Wherefore art thou?").build());
        first.sync(juliet);

        // Both move (a contact who stayed behind would answer Romeo's presence probe with
        // "unsubscribed" from the new server, RFC 6121 §4.3.2, and rightly end the subscription).
        Path zip = first.dataDir().resolve("romeo-export.zip");
        CliRun exported = cli(first, "", "export", "romeo", "-o", zip.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        Path julietZip = first.dataDir().resolve("juliet-export.zip");
        assertThat(cli(first, "", "export", "juliet", "-o", julietZip.toString()).status()).isZero();

        assertThat(second.server().accounts().exists("romeo")).as("the second server is clean").isFalse();
        CliRun imported = cli(second, "new-orchard-secret\n", "import", zip.toString());
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported romeo");
        assertThat(cli(second, "balcony-secret\n", "import", julietZip.toString()).status()).isZero();

        @SuppressWarnings("unchecked")
        List<Object> waiting = (List<Object>) ((Map<String, Object>) second.server().subjectData().exportAll("romeo")
                .get("offline")).get("messages");
        assertThat(waiting).as("Juliet's message waits on the new server").hasSize(1);
        assertThat(waiting.get(0).toString()).contains("Wherefore art thou?");

        assertThat(archive(second, "romeo")).as("the archive, with its UIDs and times").isEqualTo(archive(first, "romeo"))
                .hasSize(2);

        XMPPTCPConnection moved = second.login("romeo", "new-orchard-secret");
        MamManager mam = MamManager.getInstanceFor(moved);
        assertThat(mam.isSupported()).isTrue();
        assertThat(mam.queryArchive(MamManager.MamQueryArgs.builder().setResultPageSizeTo(10).build()).getMessages())
                .extracting(Message::getBody).containsExactly("But soft, what light through yonder window breaks?",
                        "Wherefore art thou?");
        assertThat(roster(moved)).as("the same roster").isEqualTo(rosterBefore);
        assertThat(roster(second.login("juliet", "balcony-secret"))).isEqualTo(julietsBefore);
        VCard after = VCardManager.getInstanceFor(moved).loadVCard();
        assertThat(after.getFirstName()).isEqualTo(before.getFirstName());
        assertThat(after.getLastName()).isEqualTo(before.getLastName());
        assertThat(after.getNickName()).isEqualTo("罗密欧");
        assertThat(after.getEmailHome()).isEqualTo(before.getEmailHome());
        assertThat(after.getAvatar()).isEqualTo(before.getAvatar());
        assertThat(after.getAvatarHash()).isEqualTo(before.getAvatarHash());
        PrivateData read = PrivateDataManager.getInstanceFor(moved).getPrivateData("prefs", "urn:tongyou:test:prefs");
        assertThat(read).isInstanceOfSatisfying(DefaultPrivateData.class,
                d -> assertThat(d.getValue("theme")).isEqualTo("moonlight"));

        CliRun again = cli(second, "other-secret-pass\n", "import", zip.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("exists already").contains("refuses to overwrite");
        CliRun nonsense = cli(second, "other-secret-pass\n", "import", first.dataDir().resolve("tongyou.yml").toString());
        assertThat(nonsense.status()).isEqualTo(1);
        assertThat(nonsense.err()).contains("not a XEP-0227 document");
        assertThat(second.server().audit().forSubject("romeo")).extracting(e -> e.action()).contains("account.imported");
    }
}
