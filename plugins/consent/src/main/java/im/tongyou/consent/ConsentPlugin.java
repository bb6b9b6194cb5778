package im.tongyou.consent;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqHandler;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.privacy.ConsentGate;
import im.tongyou.api.privacy.MinorDataAccess;
import im.tongyou.api.registration.Registrations;
import java.time.Duration;
import java.util.Set;
import org.xmpp.packet.IQ;

/**
 * Consent and policy versions, {@code urn:tongyou:consent:0} ({@code xeps/tongyou-consent.md}): the
 * consent gate every optional feature asks, the hash-chained ledger, the policy registry served over
 * HTTPS, the guardian flow and the gate of children's accounts, and staff access to minors' data.
 */
public final class ConsentPlugin implements Plugin {

    /** Runs before every other interceptor: a pending child's stanzas go no further. */
    static final int ORDER = -1_000_000;

    @Override
    public String id() {
        return "consent";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Registrations.class);
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(ConsentGate.class, MinorDataAccess.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/consent/changelog.xml");
        ConsentParts p = new ConsentParts(ctx);

        route(ctx, IQ.Type.get, "policy", p.iq::policy);
        route(ctx, IQ.Type.set, "accept", p.iq::accept);
        route(ctx, IQ.Type.get, "purposes", p.iq::purposes);
        route(ctx, IQ.Type.set, "grant", p.iq::grant);
        route(ctx, IQ.Type.set, "withdraw", p.iq::stop);
        route(ctx, IQ.Type.set, "refuse", p.iq::stop);
        route(ctx, IQ.Type.get, "history", p.iq::history);
        route(ctx, IQ.Type.set, "guardian", p.guardianIq::request);
        route(ctx, IQ.Type.set, "guardian-consent", p.guardianIq::consent);
        route(ctx, IQ.Type.set, "guardian-refusal", p.guardianIq::refusal);
        ctx.addFeature(DiscoScope.SERVER, ConsentGate.NAMESPACE);

        ctx.onMessage(Phase.PRE_ROUTE, ORDER, p.gate::message);
        ctx.onPresence(Phase.PRE_ROUTE, ORDER, p.gate::presence);
        ctx.onIqStanza(Phase.PRE_ROUTE, ORDER, p.gate::iq);
        for (Phase phase : new Phase[] {Phase.DELIVER, Phase.OFFLINE}) {
            ctx.onMessage(phase, ORDER, p.gate::inbound);
            ctx.onPresence(phase, ORDER, p.gate::inbound);
        }
        ctx.onIqStanza(Phase.DELIVER, ORDER, p.gate::inbound);
        ctx.onSessionEvent(p.notifier::onSessionEvent);
        ctx.onHttp(PolicyHttpHandler.PREFIX, new PolicyHttpHandler(p.policies));

        ctx.addCommand(new PublishCommand(p.policies, ctx::isAdmin));
        ctx.addCommand(new LedgerCommands.Verify(p.verifier::verify, ctx::isAdmin));
        ctx.addCommand(new LedgerCommands.RunJobs(p.minors::expirePending, p.minors::birthdays, p.ledgerData::purgeExpired,
                ctx::isAdmin));
        StaffCommands.all(p.staff, ctx.domain(), ctx::isAdmin).forEach(ctx::addCommand);

        ctx.subjectData(p.ledgerData);
        ctx.subjectData(new ConsentSubjectData.Minor(p.minorStore, p.minors, ctx.crypto()));
        ctx.subjectData(new ConsentSubjectData.Tickets(p.tickets));
        ctx.provide(ConsentGate.class, p.consents);
        ctx.provide(MinorDataAccess.class, p.staff);
        ctx.executor().every(Duration.ofHours(1), () -> {
            p.minors.expirePending();
            p.minors.birthdays();
            p.ledgerData.purgeExpired();
        });
    }

    private static void route(PluginContext ctx, IQ.Type type, String element, IqHandler handler) {
        for (IqTarget target : new IqTarget[] {IqTarget.SERVER, IqTarget.ACCOUNT}) {
            ctx.onIq(new IqRoute(type, target, ConsentGate.NAMESPACE, element), handler);
        }
    }
}
