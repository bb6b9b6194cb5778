package im.tongyou.server.plugin;

import im.tongyou.api.Plugin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}, starts the enabled ones in dependency order and stops
 * them in reverse, undoing everything each registered.
 */
public final class PluginManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginManager.class);

    private final CoreServices core;
    private final PluginOptions options;
    private final ApiRegistry apis = new ApiRegistry();
    private final Deque<Started> started = new ArrayDeque<>();

    private record Started(Plugin plugin, DefaultPluginContext context) {
    }

    public PluginManager(CoreServices core, PluginOptions options) {
        this.core = core;
        this.options = options;
    }

    /** Provides one of the core's own APIs to the plugins ({@link im.tongyou.api.PluginContext#find}), before they start. */
    public <T> void provide(Class<T> api, T implementation) {
        apis.put(api, implementation);
    }

    /** Every plugin on the class path, by id. */
    public static Map<String, Plugin> discover(ClassLoader loader) {
        Map<String, Plugin> plugins = new TreeMap<>();
        for (Plugin plugin : ServiceLoader.load(Plugin.class, loader)) {
            Plugin other = plugins.putIfAbsent(plugin.id(), plugin);
            if (other != null) {
                throw new IllegalStateException("two plugins have the id '" + plugin.id() + "': "
                        + other.getClass().getName() + " and " + plugin.getClass().getName());
            }
        }
        return plugins;
    }

    /**
     * Starts the given plugins in dependency order. On a failure, the plugins already started are
     * stopped and the exception says which plugin failed and why.
     */
    public void start(Collection<Plugin> plugins) {
        for (Plugin plugin : order(plugins)) {
            DefaultPluginContext context = new DefaultPluginContext(plugin, core, options, apis);
            long begin = System.nanoTime();
            try {
                plugin.start(context);
            } catch (Exception e) {
                context.close();
                close();
                throw new PluginStartException("plugin '" + plugin.id() + "' failed to start: " + e.getMessage(), e);
            }
            started.push(new Started(plugin, context));
            log.debug("plugin '{}' started in {} ms", plugin.id(), (System.nanoTime() - begin) / 1_000_000);
        }
    }

    /** The ids of the running plugins, in start order. */
    public List<String> running() {
        List<String> ids = new ArrayList<>();
        started.descendingIterator().forEachRemaining(s -> ids.add(s.plugin().id()));
        return ids;
    }

    /**
     * Orders plugins so that each comes after the providers of what it requires (a topological
     * sort that keeps id order among independent plugins, so starts are repeatable).
     */
    static List<Plugin> order(Collection<Plugin> plugins) {
        Map<Class<?>, Plugin> providers = new HashMap<>();
        for (Plugin p : plugins) {
            for (Class<?> api : p.provides()) {
                Plugin other = providers.putIfAbsent(api, p);
                if (other != null) {
                    throw new PluginStartException("plugins '" + other.id() + "' and '" + p.id()
                            + "' both provide " + api.getName(), null);
                }
            }
        }
        Map<String, Plugin> byId = new TreeMap<>();
        plugins.forEach(p -> byId.put(p.id(), p));
        Set<Plugin> done = new LinkedHashSet<>();
        Set<Plugin> visiting = new LinkedHashSet<>();
        for (Plugin p : byId.values()) {
            visit(p, providers, done, visiting);
        }
        return new ArrayList<>(done);
    }

    private static void visit(Plugin p, Map<Class<?>, Plugin> providers, Set<Plugin> done, Set<Plugin> visiting) {
        if (done.contains(p)) {
            return;
        }
        if (!visiting.add(p)) {
            String cycle = visiting.stream().map(Plugin::id).collect(Collectors.joining(" -> "));
            throw new PluginStartException("plugins depend on each other in a cycle: " + cycle + " -> " + p.id(), null);
        }
        Map<String, Plugin> deps = new LinkedHashMap<>();
        for (Class<?> api : p.requires()) {
            Plugin provider = providers.get(api);
            if (provider == null) {
                throw new PluginStartException("plugin '" + p.id() + "' requires " + api.getName()
                        + ", which no enabled plugin provides", null);
            }
            deps.put(provider.id(), provider);
        }
        new TreeMap<>(deps).values().forEach(d -> visit(d, providers, done, visiting));
        visiting.remove(p);
        done.add(p);
    }

    /** Stops every started plugin, newest first. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            Started s = started.pop();
            s.context().close();
            log.debug("plugin '{}' stopped", s.plugin().id());
        }
    }
}
