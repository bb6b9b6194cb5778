package im.tongyou.server.feature.version;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/** Software version (XEP-0092) of the server; the operating system only when the operator wants it. */
public final class VersionPlugin implements Plugin {

    static final String NS = "jabber:iq:version";

    /**
     * Options.
     *
     * @param showOs whether to tell the operating system (off by default: it helps attackers)
     */
    public record Options(Boolean showOs) {
        public Options {
            showOs = showOs != null && showOs;
        }
    }

    @Override
    public String id() {
        return "version";
    }

    @Override
    public void start(PluginContext ctx) {
        Options options = ctx.config(Options.class);
        String version = versionOf(VersionPlugin.class);
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        ctx.onIq(IqRoute.get(IqTarget.SERVER, NS, "query"), request -> {
            IQ reply = IQ.createResultIQ(request);
            Element query = reply.setChildElement("query", NS);
            query.addElement("name").setText("Tongyou Server");
            query.addElement("version").setText(version);
            if (options.showOs()) {
                query.addElement("os").setText(os);
            }
            return reply;
        });
        ctx.addFeature(DiscoScope.SERVER, NS);
    }

    /** The version from the jar's manifest, or "development" when running from classes. */
    public static String versionOf(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
