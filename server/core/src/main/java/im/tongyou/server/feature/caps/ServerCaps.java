package im.tongyou.server.feature.caps;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoInfo;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.DiscoScope;
import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.xmpp.packet.JID;

/**
 * The server's own entity capabilities: the verification string of its disco#info (XEP-0115
 * §5.1), offered in the stream features (§6.3), and the server's info answered at {@code node#ver}
 * (§6.2). It is computed again whenever the identities or features that plugins advertise change.
 */
final class ServerCaps implements DiscoNodeHandler {

    static final String NODE = "https://tongyou.im/server";
    static final String HASH = "sha-1";

    private record Computed(String input, String ver) {
    }

    private final DiscoInfo disco;
    private volatile Computed last;

    ServerCaps(DiscoInfo disco) {
        this.disco = disco;
    }

    /** The current verification string. */
    String ver() {
        List<CapsVer.Identity> identities = disco.identities().stream().map(ServerCaps::identity).toList();
        CapsVer.Info info = new CapsVer.Info(identities, disco.features(DiscoScope.SERVER), List.of());
        String input = CapsVer.input(info);
        Computed c = last;
        if (c == null || !c.input().equals(input)) {
            c = new Computed(input, CapsVer.ver(info, HASH));
            last = c;
        }
        return c.ver();
    }

    /** {@code <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='...' ver='...'/>}. */
    Element streamFeature() {
        return new CapsElement(HASH, NODE, ver()).toElement();
    }

    /** At this server's current {@code node#ver}: its own identities and features, as without a node. */
    @Override
    public Optional<Info> info(JID requester, String node) {
        if (!node.equals(NODE + "#" + ver())) {
            return Optional.empty();
        }
        return Optional.of(new Info(disco.identities(), disco.features(DiscoScope.SERVER)));
    }

    /** XEP-0115 gives {@code node#ver} no items: such a request is answered as for any unknown node. */
    @Override
    public Optional<List<DiscoItem>> items(JID requester, String node) {
        return Optional.empty();
    }

    private static CapsVer.Identity identity(DiscoIdentity id) {
        return new CapsVer.Identity(id.category(), id.type(), "", id.name() == null ? "" : id.name());
    }
}
