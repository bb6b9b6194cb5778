package im.tongyou.consent;

import im.tongyou.api.PluginContext;
import im.tongyou.api.registration.Registrations;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The consent plugin's parts, built once at start from the plugin context: stores, the policy
 * registry (with the shipped version published on first start), the gate, the guardian flow, staff
 * access and the handlers. {@link ConsentPlugin} registers them.
 */
final class ConsentParts {

    final ConsentOptions options;
    final PolicyRegistry policies;
    final LedgerStore ledger;
    final LedgerVerifier verifier;
    final MinorStore minorStore;
    final Minors minors;
    final ConsentService consents;
    final Guardians guardians;
    final TicketStore tickets;
    final StaffAccess staff;
    final ConsentIqHandler iq;
    final GuardianIqHandler guardianIq;
    final PendingGuardianInterceptor gate;
    final PolicyNotifier notifier;
    final ConsentSubjectData.Ledger ledgerData;

    ConsentParts(PluginContext ctx) {
        DataSource ds = ctx.dataSource();
        Registrations registrations = ctx.require(Registrations.class);
        Supplier<String> https = ctx::httpsUrl;
        options = ctx.config(ConsentOptions.class);
        PolicyStore policyStore = new PolicyStore(ds);
        PolicySeed.ensure(policyStore, ctx.clock().instant());
        policies = new PolicyRegistry(policyStore, ctx.clock());
        policies.load();
        ledger = new LedgerStore(ds);
        verifier = new LedgerVerifier(ledger);
        minorStore = new MinorStore(ds);
        minors = new Minors(ctx.accounts(), registrations, minorStore, ctx.clock(),
                Duration.ofDays(options.pendingGuardianDays()));
        minors.load();
        consents = new ConsentService(ledger, policies, ctx.accounts(), minors, ctx.clock());
        guardians = new Guardians(minorStore, ctx.accounts(), registrations, ctx.crypto(), ctx.sms(), ctx.clock(), options,
                () -> policies.current(PolicyRegistry.CHILDREN).map(v -> ConsentIqHandler.url(https.get(), v))
                        .orElse("(ask the app)"));
        tickets = new TicketStore(ds);
        staff = new StaffAccess(tickets, ctx.audit(), ctx.accounts(), registrations, minors, minorStore, consents,
                ctx.crypto(), ctx.clock(), options);
        iq = new ConsentIqHandler(consents, policies, minors, guardians, https);
        guardianIq = new GuardianIqHandler(guardians, consents, policies, minors, ctx.accounts(), ctx.router());
        gate = new PendingGuardianInterceptor(minors, ctx.domain());
        notifier = new PolicyNotifier(consents, minors, iq, ctx.domain(), https);
        ledgerData = new ConsentSubjectData.Ledger(ledger, ctx.clock(), options.ledgerRetentionYears());
    }
}
