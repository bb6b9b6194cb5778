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

    /** The hash of the identities and features as the registry last gave them (the same lists until a change). */
    private record Computed(List<DiscoIdentity> identities, List<String> features, String ver) {
    }

    private final DiscoInfo disco;
    private volatile Computed last;

    ServerCaps(DiscoInfo disco) {
        this.disco = disco;
    }

    /** The current verification string. */
    String ver() {
        List<DiscoIdentity> ids = disco.identities();
        List<String> features = disco.features(DiscoScope.SERVER);
        Computed c = last;
        if (c == null || !c.identities().equals(ids) || !c.features().equals(features)) {
            List<CapsVer.Identity> identities = ids.stream().map(ServerCaps::identity).toList();
            c = new Computed(ids, features, CapsVer.ver(new CapsVer.Info(identities, features, List.of()), HASH));
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
