package im.tongyou.server.routing;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.DiscoInfo;
import im.tongyou.api.DiscoItem;
import im.tongyou.api.DiscoScope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The service discovery (XEP-0030) features and identities the plugins advertise, per entity. The
 * same feature may be added by several plugins; it is listed once while any of them is running.
 */
public final class DiscoRegistry implements DiscoInfo {

    private final Map<DiscoScope, List<String>> features = new EnumMap<>(DiscoScope.class);
    private final List<DiscoIdentity> identities = new CopyOnWriteArrayList<>();
    private final Map<DiscoScope, List<Predicate<String>>> infoNodes = new EnumMap<>(DiscoScope.class);
    private final List<DiscoItem> items = new CopyOnWriteArrayList<>();

    public DiscoRegistry() {
        for (DiscoScope scope : DiscoScope.values()) {
            features.put(scope, new CopyOnWriteArrayList<>());
            infoNodes.put(scope, new CopyOnWriteArrayList<>());
        }
    }

    /** Adds a feature; the returned handle removes this one addition. */
    public AutoCloseable addFeature(DiscoScope scope, String namespace) {
        List<String> list = features.get(scope);
        list.add(namespace);
        return () -> list.remove(namespace);
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
        return () -> identities.remove(identity);
    }

    /** Adds a test for nodes that name the entity's own info; the returned handle removes it. */
    public AutoCloseable addInfoNode(DiscoScope scope, Predicate<String> node) {
        List<Predicate<String>> list = infoNodes.get(scope);
        list.add(node);
        return () -> list.remove(node);
    }

    @Override
    public boolean isInfoNode(DiscoScope scope, String node) {
        for (Predicate<String> p : infoNodes.get(scope)) {
            if (p.test(node)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> features(DiscoScope scope) {
        return new ArrayList<>(new TreeSet<>(features.get(scope)));
    }

    @Override
    public List<DiscoIdentity> identities() {
        return List.copyOf(identities);
    }
}
