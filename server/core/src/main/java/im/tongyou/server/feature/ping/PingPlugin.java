package im.tongyou.server.feature.ping;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import org.xmpp.packet.IQ;

/** XMPP Ping (XEP-0199): the server answers pings addressed to it (§4.2, client-to-server). */
public final class PingPlugin implements Plugin {

    static final String NS = "urn:xmpp:ping";

    @Override
    public String id() {
        return "ping";
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.onIq(IqRoute.get(IqTarget.SERVER, NS, "ping"), IQ::createResultIQ);
        ctx.addFeature(DiscoScope.SERVER, NS);
    }
}
