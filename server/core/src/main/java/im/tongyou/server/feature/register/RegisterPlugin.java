package im.tongyou.server.feature.register;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.StreamStage;
import im.tongyou.api.privacy.Retention;
import im.tongyou.api.registration.Registrations;
import java.time.Duration;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.xmpp.packet.IQ;

/**
 * In-band registration (XEP-0077) in the configured mode, with the Tongyou phone flow
 * ({@code xeps/tongyou-register.md}); password change and account removal on authenticated streams.
 */
public final class RegisterPlugin implements Plugin {

    @Override
    public String id() {
        return "register";
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(Registrations.class, BirthdayCorrections.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/register/changelog.xml");
        RegisterOptions options = ctx.config(RegisterOptions.class);
        RegistrationStore store = new RegistrationStore(ctx.dataSource());
        SmsCodeStore codeStore = new SmsCodeStore(ctx.dataSource());
        SmsCodes codes = new SmsCodes(codeStore, ctx.crypto(), ctx.sms(), ctx.clock(), options);
        RegisterIqHandler register = new RegisterIqHandler(ctx.accounts(), store, codes, ctx.crypto(), ctx.clock(),
                options, ctx.consents());
        OwnAccountIqHandler own = new OwnAccountIqHandler(ctx.accounts(), ctx.router());

        String ns = RegisterElement.IQ_REGISTER;
        ctx.onUnauthenticatedIq(IQ.Type.get, ns, "query", register::fields);
        ctx.onUnauthenticatedIq(IQ.Type.set, ns, "query", register::register);
        for (IqTarget target : new IqTarget[] {IqTarget.SERVER, IqTarget.ACCOUNT}) {
            ctx.onIq(IqRoute.get(target, ns, "query"), own::registration);
            ctx.onIq(IqRoute.set(target, ns, "query"), own::change);
        }
        // Password change and removal work in every mode, so the protocol is always supported.
        ctx.addFeature(DiscoScope.SERVER, ns);
        if (options.mode() != RegisterOptions.Mode.closed) {
            ctx.addStreamFeature(StreamStage.BEFORE_AUTH,
                    () -> DocumentHelper.createElement(QName.get("register", RegisterElement.FEATURE)));
        }
        if (options.mode() == RegisterOptions.Mode.phone) {
            ctx.onUnauthenticatedIq(IQ.Type.set, RegisterElement.NS, "request-code", register::requestCode);
            ctx.addFeature(DiscoScope.SERVER, RegisterElement.NS);
        }

        RegisterSubjectData.Users users = new RegisterSubjectData.Users(store, ctx.crypto());
        ctx.subjectData(users);
        ctx.subjectData(new RegisterSubjectData.Acceptances(store));
        ctx.subjectData(new RegisterSubjectData.Codes(users, codeStore, codes));
        ctx.provide(Registrations.class, users);
        ctx.provide(BirthdayCorrections.class, users);
        // Codes are valid at most 5 minutes (R-SEC-3); expired ones go within a minute, and with every purge.
        ctx.executor().every(Duration.ofMinutes(1), codes::purgeExpired);
        ctx.retention("sms-code", Duration.ofSeconds(options.codeValiditySeconds()),
                (now, cutoff) -> codeStore.purgeExpired(now), Retention.oldestOf(ctx.dataSource(), "register_sms_code",
                        "created_at"));
        ctx.retentionForAccountLifetime("registration", Retention.oldestOf(ctx.dataSource(), "register_user",
                "registered_at"));
        ctx.retentionForAccountLifetime("policy-acceptance", Retention.oldestOf(ctx.dataSource(),
                "register_policy_acceptance", "accepted_at"));
    }
}
