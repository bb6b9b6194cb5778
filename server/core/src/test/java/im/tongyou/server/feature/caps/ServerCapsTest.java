package im.tongyou.server.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoScope;
import im.tongyou.server.routing.DiscoRegistry;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** The server's own verification string follows what the plugins advertise. */
class ServerCapsTest {

    @Test
    void theVerIsTheHashOfTheServersIdentitiesAndFeaturesAndFollowsChanges() throws Exception {
        DiscoRegistry disco = new DiscoRegistry();
        disco.addIdentity(new DiscoIdentity("server", "im", "Tongyou Server"));
        disco.addFeature(DiscoScope.SERVER, "urn:xmpp:ping");
        disco.addFeature(DiscoScope.ACCOUNT, "urn:xmpp:mam:2"); // account features are not the server's
        ServerCaps caps = new ServerCaps(disco);

        String ver = caps.ver();
        assertThat(ver).isEqualTo(CapsVer.ver(new CapsVer.Info(java.util.List.of(
                new CapsVer.Identity("server", "im", "", "Tongyou Server")), java.util.List.of("urn:xmpp:ping"),
                java.util.List.of()), "sha-1"));
        Element feature = caps.streamFeature();
        assertThat(feature.getNamespaceURI()).isEqualTo("http://jabber.org/protocol/caps");
        assertThat(feature.attributeValue("hash")).isEqualTo("sha-1");
        assertThat(feature.attributeValue("node")).isEqualTo("https://tongyou.im/server");
        assertThat(feature.attributeValue("ver")).isEqualTo(ver);
        JID romeo = new JID("romeo@tongyou.example/orchard");
        assertThat(caps.info(romeo, "https://tongyou.im/server#" + ver)).hasValueSatisfying(info -> {
            assertThat(info.features()).containsExactly("urn:xmpp:ping");
            assertThat(info.identities()).containsExactly(new DiscoIdentity("server", "im", "Tongyou Server"));
        });
        assertThat(caps.info(romeo, "https://tongyou.im/server#stale")).isEmpty();
        assertThat(caps.items(romeo, "https://tongyou.im/server#" + ver)).isEmpty();

        AutoCloseable time = disco.addFeature(DiscoScope.SERVER, "urn:xmpp:time");
        assertThat(caps.ver()).isNotEqualTo(ver);
        assertThat(caps.info(romeo, "https://tongyou.im/server#" + ver)).isEmpty();
        time.close();
        assertThat(caps.ver()).isEqualTo(ver);
    }
}
