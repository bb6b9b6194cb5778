package im.tongyou.server.routing;

import im.tongyou.api.AccountDiscoHandler;
import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoInfo;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoNodeHandler;
import im.tongyou.api.DiscoScope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The service discovery (XEP-0030) features and identities the plugins advertise, per entity. The
 * same feature may be added by several plugins; it is listed once while any of them is running.
 */
public final class DiscoRegistry implements DiscoInfo {

    private final Map<DiscoScope, List<String>> features = new EnumMap<>(DiscoScope.class);
    private final List<DiscoIdentity> identities = new CopyOnWriteArrayList<>();
    /**
     * Immutable snapshots of the sorted features per scope and of the identities, read at every
     * stream negotiation (the caps hash of the stream features); dropped on each change. The
     * computation and the drop of one key exclude each other, so no stale snapshot survives a change.
     */
    private final Map<Object, List<?>> snapshots = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Object IDENTITIES = new Object();
    private final List<DiscoItem> items = new CopyOnWriteArrayList<>();
    private final List<DiscoNodeHandler> nodeHandlers = new CopyOnWriteArrayList<>();
    private final List<AccountDiscoHandler> accountHandlers = new CopyOnWriteArrayList<>();

    public DiscoRegistry() {
        for (DiscoScope scope : DiscoScope.values()) {
            features.put(scope, new CopyOnWriteArrayList<>());
        }
    }

    /** Adds a feature; the returned handle removes this one addition. */
    public AutoCloseable addFeature(DiscoScope scope, String namespace) {
        List<String> list = features.get(scope);
        list.add(namespace);
        snapshots.remove(scope);
        return () -> {
            list.remove(namespace);
            snapshots.remove(scope);
        };
    }

    /** Adds an item to the server's disco#items; the returned handle removes it. */
    public AutoCloseable addItem(DiscoItem item) {
        items.add(item);
        return () -> items.remove(item);
    }

    @Override
    public List<DiscoItem> serverItems() {
        return List.copyOf(items);
    }

    /** Adds an identity; the returned handle removes it. */
    public AutoCloseable addIdentity(DiscoIdentity identity) {
        identities.add(identity);
        snapshots.remove(IDENTITIES);
        return () -> {
            identities.remove(identity);
            snapshots.remove(IDENTITIES);
        };
    }

    /** Adds the handler of some server nodes; the returned handle removes it. */
    public AutoCloseable addNodeHandler(DiscoNodeHandler handler) {
        nodeHandlers.add(handler);
        return () -> nodeHandlers.remove(handler);
    }

    /** Adds the handler of what a plugin keeps on accounts; the returned handle removes it. */
    public AutoCloseable addAccountHandler(AccountDiscoHandler handler) {
        accountHandlers.add(handler);
        return () -> accountHandlers.remove(handler);
    }

    @Override
    public List<AccountDiscoHandler> accountHandlers() {
        return List.copyOf(accountHandlers);
    }

    @Override
    public List<DiscoNodeHandler> nodeHandlers() {
        return List.copyOf(nodeHandlers);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> features(DiscoScope scope) {
        return (List<String>) snapshots.computeIfAbsent(scope, s -> List.copyOf(new TreeSet<>(features.get(scope))));
    }

    /** The same list instance until an identity is added or removed (caps computes its hash once per change). */
    @Override
    @SuppressWarnings("unchecked")
    public List<DiscoIdentity> identities() {
        return (List<DiscoIdentity>) snapshots.computeIfAbsent(IDENTITIES, k -> List.copyOf(identities));
    }
}
