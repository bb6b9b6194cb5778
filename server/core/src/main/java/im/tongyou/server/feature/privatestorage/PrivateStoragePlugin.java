package im.tongyou.server.feature.privatestorage;

import im.tongyou.api.DiscoScope;
import im.tongyou.api.IqRoute;
import im.tongyou.api.IqTarget;
import im.tongyou.api.Plugin;
import im.tongyou.api.PluginContext;

/** Private XML storage (XEP-0049): clients keep preferences and bookmarks on the server. */
public final class PrivateStoragePlugin implements Plugin {

    /**
     * Options.
     *
     * @param maxBytesPerUser the XML one user may keep, all namespaces together
     */
    public record Options(Integer maxBytesPerUser) {
        public Options {
            maxBytesPerUser = maxBytesPerUser == null ? 262_144 : maxBytesPerUser;
            if (maxBytesPerUser < 1024) {
                throw new IllegalArgumentException("max-bytes-per-user must be at least 1024");
            }
        }
    }

    @Override
    public String id() {
        return "privatestorage";
    }

    @Override
    public void start(PluginContext ctx) {
        ctx.changelog("im/tongyou/server/feature/privatestorage/changelog.xml");
        Options options = ctx.config(Options.class);
        PrivateStorageStore store = new PrivateStorageStore(ctx.dataSource(), ctx.crypto(), ctx.clock());
        PrivateStorageIqHandler handler = new PrivateStorageIqHandler(store, options.maxBytesPerUser());
        String ns = PrivateStorageIqHandler.NS;
        ctx.onIq(IqRoute.get(IqTarget.ACCOUNT, ns, "query"), handler::get);
        ctx.onIq(IqRoute.set(IqTarget.ACCOUNT, ns, "query"), handler::set);
        ctx.onIq(IqRoute.get(IqTarget.USER, ns, "query"), handler::otherUser);
        ctx.onIq(IqRoute.set(IqTarget.USER, ns, "query"), handler::otherUser);
        ctx.addFeature(DiscoScope.SERVER, ns);
        ctx.subjectData(new PrivateStorageSubjectData(store));
        ctx.retentionForAccountLifetime("private-storage",
                im.tongyou.api.privacy.Retention.oldestOf(ctx.dataSource(), "privatestorage_fragment", "updated_at"));
    }
}
