package im.tongyou.consent;

import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.privacy.Purpose;
import org.xmpp.packet.IQ;

/**
 * A test-only optional feature: it answers {@code <probe purpose='...'/>} only when the core's
 * {@link PluginContext#consents()} gate lets the requester's data be processed for the purpose, as
 * every optional feature does on the server, each time (design guide §6).
 */
public final class ProbePlugin implements Plugin {

    static final String NS = "urn:tongyou:test:probe";

    @Override
    public String id() {
        return "consent-probe";
    }

    @Override
    public void start(PluginContext ctx) {
        for (IqTarget target : new IqTarget[] {IqTarget.SERVER, IqTarget.ACCOUNT}) {
            ctx.onIq(new IqRoute(IQ.Type.get, target, NS, "probe"), request -> {
                String id = request.getChildElement().attributeValue("purpose");
                Purpose purpose = Purpose.fromId(id).orElseThrow(() -> StanzaErrorException.badRequest("no purpose " + id));
                ctx.consents().require(request.getFrom().getNode(), purpose);
                return IQ.createResultIQ(request);
            });
        }
    }
}
