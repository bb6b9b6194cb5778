package im.tongyou.testkit;

import static im.tongyou.testkit.ImClients.bare;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterGroup;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rosters (RFC 6121 §2) with Smack's roster API and with raw XML for what Smack never sends. */
class RosterE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    @BeforeAll
    static void users() throws Exception {
        Roster.setDefaultSubscriptionMode(Roster.SubscriptionMode.manual);
        for (String name : new String[] {"juliet", "capulet", "montague", "nurse"}) {
            server.createUser(name, name + "-secret");
        }
    }

    @Test
    void anItemAddedOnTheLaptopIsPushedToThePhone() throws Exception {
        XMPPTCPConnection phone = server.login("juliet", "juliet-secret", "phone");
        XMPPTCPConnection laptop = server.login("juliet", "juliet-secret", "laptop");
        Roster.getInstanceFor(phone).reloadAndWait();

        Roster.getInstanceFor(laptop).createItem(bare("romeo"), "Romeo", new String[] {"Montagues", "Verona"});

        Await.until("the phone's roster has Romeo", () -> Roster.getInstanceFor(phone).getEntry(bare("romeo")) != null);
        RosterEntry entry = Roster.getInstanceFor(phone).getEntry(bare("romeo"));
        assertThat(entry.getName()).isEqualTo("Romeo");
        assertThat(entry.getGroups()).extracting(RosterGroup::getName).containsExactlyInAnyOrder("Montagues", "Verona");

        Roster.getInstanceFor(phone).removeEntry(entry);
        Await.until("the laptop's roster lost Romeo", () -> Roster.getInstanceFor(laptop).getEntry(bare("romeo")) == null);
    }

    @Test
    void aRosterSetWithTwoItemsIsABadRequest() throws Exception {
        try (RawXmppClient raw = server.raw()) {
            raw.login("capulet", "capulet-secret", "raw");
            raw.send("<iq type='set' id='two'><query xmlns='jabber:iq:roster'><item jid='a@tongyou.test'/>"
                    + "<item jid='b@tongyou.test'/></query></iq>");
            String reply = raw.readUntil("</iq>");
            assertThat(reply).contains("id=\"two\"").contains("type=\"error\"").contains("<bad-request");

            raw.send("<iq type='get' id='other' to='nurse@tongyou.test'><query xmlns='jabber:iq:roster'/></iq>");
            assertThat(raw.readUntil("</iq>")).contains("id=\"other\"").contains("<service-unavailable");
        }
    }

    @Test
    void aSecondLoginWithTheLastVersionGetsAnEmptyResultAndThePushesOfWhatChanged() throws Exception {
        String ver;
        try (RawXmppClient first = server.raw()) {
            first.openStream();
            first.startTls();
            String features = first.authenticate("montague", "montague-secret");
            assertThat(features).contains("urn:xmpp:features:rosterver").contains("urn:xmpp:features:pre-approval");
            first.bind("first");
            first.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster' ver=''/></iq>");
            ver = version(first.readUntil("</iq>"));
        }

        XMPPTCPConnection other = server.login("montague", "montague-secret", "other");
        Roster.getInstanceFor(other).createItem(bare("benvolio"), "Benvolio", null);

        try (RawXmppClient second = server.raw()) {
            second.login("montague", "montague-secret", "second");
            second.send("<iq type='get' id='r2'><query xmlns='jabber:iq:roster' ver='" + ver + "'/></iq>");
            String result = second.readUntil("id=\"r2\"");
            assertThat(result).doesNotContain("<item");
            String push = second.readUntil("</iq>");
            assertThat(push).contains("type=\"set\"").contains("jid=\"benvolio@tongyou.test\"");
            String newVer = version(push);
            assertThat(newVer).isNotEqualTo(ver);
            second.send("<iq type='get' id='p' to='tongyou.test'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(second.readUntil("id=\"p\"")).doesNotContain("<item");

            try (RawXmppClient third = server.raw()) {
                third.login("montague", "montague-secret", "third");
                third.send("<iq type='get' id='r3'><query xmlns='jabber:iq:roster' ver='" + newVer + "'/></iq>"
                        + "<iq type='get' id='p3' to='tongyou.test'><ping xmlns='urn:xmpp:ping'/></iq>");
                String upToPing = third.readUntil("id=\"p3\"");
                assertThat(upToPing).contains("id=\"r3\"").doesNotContain("<query").doesNotContain("<item");
            }
        }
    }

    static String version(String xml) {
        Matcher m = Pattern.compile("ver=\"([^\"]*)\"").matcher(xml);
        assertThat(m.find()).as("a ver attribute in " + xml).isTrue();
        return m.group(1);
    }
}
