package im.tongyou.server.feature.vcard;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Phase;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;
import im.tongyou.api.roster.Roster;
import im.tongyou.server.feature.presence.PresencePlugin;
import java.util.Set;

/**
 * Profiles: vcard-temp (XEP-0054) with vCard-based avatar hashes in presence (XEP-0153), and the
 * Tongyou profile fields ({@code xeps/tongyou-profile.md}), visible to contacts unless the user
 * chooses everyone. Needs the roster to tell contacts from strangers.
 */
public final class VCardPlugin implements Plugin {

    /** After blocking, before the presence broadcast: the hash is in every copy the broadcast makes. */
    static final int AVATAR_ORDER = PresencePlugin.ORDER - 50;

    /**
     * Options.
     *
     * @param maxVcardBytes the largest vCard kept, photo included (XML bytes)
     */
    public record Options(Integer maxVcardBytes) {
        public Options {
            maxVcardBytes = maxVcardBytes == null ? 131_072 : maxVcardBytes;
            if (maxVcardBytes < 1024) {
                throw new IllegalArgumentException("max-vcard-bytes must be at least 1024");
            }
        }
    }

    @Override
    public String id() {
        return "vcard";
    }

    @Override
    public Set<Class<?>> requires() {
        return Set.of(Roster.class);
    }

    @Override
    public Set<Class<?>> provides() {
        return Set.of(Profiles.class);
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/vcard/changelog.xml");
        Options options = ctx.config(Options.class);
        VCardStore store = new VCardStore(ctx.dataSource(), ctx.crypto(), ctx.clock());
        ProfileAccess access = new ProfileAccess(ctx.require(Roster.class), ctx.domain());
        VCardIqHandler vcard = new VCardIqHandler(store, access, options.maxVcardBytes());
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, VCardElement.NS, "vCard"), vcard::getOwn);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, VCardElement.NS, "vCard"), vcard::setOwn);
        ctx.onIq(IqRoute.get(IqTarget.USER, VCardElement.NS, "vCard"), vcard::getOther);
        ctx.onIq(IqRoute.set(IqTarget.USER, VCardElement.NS, "vCard"), vcard::setOther);
        ProfileIqHandler profile = new ProfileIqHandler(store, access, ctx.clock());
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, ProfileElement.NS, "profile"), profile::getOwn);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, ProfileElement.NS, "profile"), profile::setOwn);
        ctx.onIq(IqRoute.get(IqTarget.USER, ProfileElement.NS, "profile"), profile::getOther);
        ctx.onIq(IqRoute.set(IqTarget.USER, ProfileElement.NS, "profile"), profile::setOther);
        ctx.provide(Profiles.class, profile);
        ctx.onPresence(Phase.PRE_ROUTE, AVATAR_ORDER, new AvatarInterceptor(store, ctx.domain()));
        ctx.addFeature(DiscoScope.SERVER, VCardElement.NS); // XEP-0054 §4
        ctx.addFeature(DiscoScope.SERVER, ProfileElement.NS);
        ctx.subjectData(new VCardSubjectData(store));
        ctx.retentionForAccountLifetime("vcard",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "vcard_user", "updated_at"));
    }
}
