package im.tongyou.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dom4j.Element;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Closed registration: no stream feature, XEP-0077 §3.1's service-unavailable for the fields and
 * not-allowed for a registration; a registered user still changes the password in-band.
 */
class ClosedRegistrationE2ETest {

    @RegisterExtension
    static TongyouServerExtension server = TongyouServerExtension.builder()
            .set("plugins.register.mode", "closed")
            .build();

    @Test
    void registrationIsNeitherAdvertisedNorPossible() throws Exception {
        try (RawRegistration reg = RawRegistration.open(server)) {
            assertThat(reg.features()).doesNotContain("iq-register");
            Element fields = reg.iq("get", "<query xmlns='jabber:iq:register'/>");
            assertThat(RawRegistration.condition(fields)).isEqualTo("service-unavailable");
            Element set = reg.iq("set", "<query xmlns='jabber:iq:register'><username>intruder</username>"
                    + "<password>s3cret-pass</password></query>");
            assertThat(RawRegistration.condition(set)).isEqualTo("not-allowed");
        }
        assertThat(server.server().accounts().exists("intruder")).isFalse();
        XMPPTCPConnection anonymous = new XMPPTCPConnection(server.config("nobody", "nothing").build());
        anonymous.connect();
        try {
            // Smack asks for the fields when no stream feature is offered, and reports the XEP's error.
            assertThatThrownBy(() -> AccountManager.getInstance(anonymous).supportsAccountCreation())
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable));
        } finally {
            anonymous.disconnect();
        }
    }

    @Test
    void aUserStillChangesThePassword() throws Exception {
        server.createUser("juliet", "capulet-secret");
        XMPPTCPConnection juliet = server.login("juliet", "capulet-secret");
        assertThat(ServiceDiscoveryManager.getInstanceFor(juliet)
                .serverSupportsFeature("jabber:iq:register")).isTrue();
        assertThat(ServiceDiscoveryManager.getInstanceFor(juliet).discoverInfo(JidCreate.domainBareFrom(server.domain()))
                .containsFeature("urn:tongyou:register:0")).isFalse();

        AccountManager.getInstance(juliet).changePassword("wherefore-art-thou");

        assertThat(server.login("juliet", "wherefore-art-thou").isAuthenticated()).isTrue();
    }
}
