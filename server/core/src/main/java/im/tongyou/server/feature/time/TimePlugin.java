package im.tongyou.server.feature.time;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.dom4j.Element;
import org.xmpp.packet.IQ;

/**
 * Entity time (XEP-0202) of the server: UTC in the XEP-0082 DateTime profile and the offset of the
 * server's configured time zone.
 */
public final class TimePlugin implements Plugin {

    static final String NS = "urn:xmpp:time";

    @Override
    public String id() {
        return "time";
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.onIq(IqRoute.get(IqTarget.SERVER, NS, "time"), request -> {
            Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
            ZoneOffset offset = ctx.clock().getZone().getRules().getOffset(now);
            IQ reply = IQ.createResultIQ(request);
            Element time = reply.setChildElement("time", NS);
            // XEP-0202 §3: tzo is "+hh:mm" or "-hh:mm"; ZoneOffset renders UTC as "Z", which the XEP does not allow.
            time.addElement("tzo").setText(offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
            time.addElement("utc").setText(DateTimeFormatter.ISO_INSTANT.format(now));
            return reply;
        });
        ctx.addFeature(DiscoScope.SERVER, NS);
    }
}
