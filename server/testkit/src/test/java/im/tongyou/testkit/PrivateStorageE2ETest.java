package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.jivesoftware.smackx.iqprivate.packet.PrivateData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Juliet keeps her client's preferences on the server (XEP-0049); nobody else can read or change them. */
class PrivateStorageE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.create();

    static final String DOMAIN = TongyouServerExtension.DOMAIN;

    @BeforeAll
    static void users() throws Exception {
        server.createUser("romeo", "montague-secret");
        server.createUser("juliet", "capulet-secret");
    }

    @Test
    void julietsPreferencesRoundTripAcrossSessions() throws Exception {
        XMPPTCPConnection phone = server.login("juliet", "capulet-secret", "phone");
        PrivateDataManager storage = PrivateDataManager.getInstanceFor(phone);
        assertThat(storage.isSupported()).isTrue();
        assertThat(ServiceDiscoveryManager.getInstanceFor(phone).serverSupportsFeature("jabber:iq:private")).isTrue();
        DefaultPrivateData prefs = new DefaultPrivateData("prefs", "urn:tongyou:test:prefs");
        prefs.setValue("theme", "moonlight");
        prefs.setValue("nick", "朱丽叶");
        storage.setPrivateData(prefs);
        phone.disconnect();

        XMPPTCPConnection laptop = server.login("juliet", "capulet-secret", "laptop");
        PrivateData read = PrivateDataManager.getInstanceFor(laptop).getPrivateData("prefs", "urn:tongyou:test:prefs");

        assertThat(read).isInstanceOfSatisfying(DefaultPrivateData.class, d -> {
            assertThat(d.getValue("theme")).isEqualTo("moonlight");
            assertThat(d.getValue("nick")).isEqualTo("朱丽叶");
        });
    }

    @Test
    void reservedNamespacesAreNotAcceptable() throws Exception {
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        PrivateDataManager storage = PrivateDataManager.getInstanceFor(juliet);

        for (String ns : new String[] {"jabber:client", "jabber:server", "jabber:iq:private"}) {
            DefaultPrivateData reserved = new DefaultPrivateData("x", ns);
            reserved.setValue("a", "b");
            assertThatThrownBy(() -> storage.setPrivateData(reserved)).as(ns)
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable));
        }
    }

    @Test
    void romeoCanNeitherReadNorWriteJulietsStorage() throws Exception {
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        DefaultPrivateData secret = new DefaultPrivateData("diary", "urn:tongyou:test:diary");
        secret.setValue("entry", "Romeo, Romeo");
        PrivateDataManager.getInstanceFor(juliet).setPrivateData(secret);

        try (RawXmppClient romeo = server.raw()) {
            romeo.login("romeo", "montague-secret", "raw");
            romeo.send("<iq type='get' id='peek' to='juliet@" + DOMAIN + "'><query xmlns='jabber:iq:private'>"
                    + "<diary xmlns='urn:tongyou:test:diary'/></query></iq>");
            String peek = romeo.readUntil("</iq>");
            assertThat(peek).contains("id=\"peek\"").contains("type=\"error\"").contains("<forbidden")
                    .doesNotContain("Romeo, Romeo");
            romeo.send("<iq type='set' id='write' to='juliet@" + DOMAIN + "'><query xmlns='jabber:iq:private'>"
                    + "<diary xmlns='urn:tongyou:test:diary'><entry>forged</entry></diary></query></iq>");
            assertThat(romeo.readUntil("</iq>")).contains("id=\"write\"").contains("<forbidden");
        }
        PrivateData still = PrivateDataManager.getInstanceFor(juliet).getPrivateData("diary", "urn:tongyou:test:diary");
        assertThat(((DefaultPrivateData) still).getValue("entry")).isEqualTo("Romeo, Romeo");
    }
}
