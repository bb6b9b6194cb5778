package im.tongyou.server.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoScope;
import im.tongyou.server.routing.DiscoRegistry;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

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
        assertThat(caps.isInfoNode("https://tongyou.im/server#" + ver)).isTrue();

        AutoCloseable time = disco.addFeature(DiscoScope.SERVER, "urn:xmpp:time");
        assertThat(caps.ver()).isNotEqualTo(ver);
        assertThat(caps.isInfoNode("https://tongyou.im/server#" + ver)).isFalse();
        time.close();
        assertThat(caps.ver()).isEqualTo(ver);
    }
}
