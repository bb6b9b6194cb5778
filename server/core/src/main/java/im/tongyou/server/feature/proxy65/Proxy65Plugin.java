package im.tongyou.server.feature.proxy65;

import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import java.net.InetSocketAddress;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * A SOCKS5 bytestreams proxy (XEP-0065 §6, mediated connection) on {@code proxy.<domain>}, for file
 * transfers between users whose devices cannot reach each other directly. It keeps nothing: bytes
 * pass through memory only, and no personal data is stored.
 */
public final class Proxy65Plugin implements Plugin {

    @Override
    public String id() {
        return "proxy65";
    }

    @Override
    public void start(PluginContext ctx) throws Exception {
        Proxy65Options options = ctx.config(Proxy65Options.class);
        InetSocketAddress bind = options.address().isEmpty() ? new InetSocketAddress(options.port())
                : new InetSocketAddress(options.address(), options.port());
        Socks5Relay relay = new Socks5Relay(bind, options);
        ctx.closeOnStop(relay);
        JID jid = new JID(null, options.subdomain() + "." + ctx.domain(), null);
        String host = options.host().isEmpty() ? ctx.domain() : options.host();
        Proxy65Service service = new Proxy65Service(jid, host, relay.port(), ctx.domain(), relay);
        ctx.addService(options.subdomain(), "SOCKS5 Bytestreams Service", stanza -> {
            if (stanza instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
                ctx.router().route(service.handle(iq));
            }
        });
    }
}
