package im.tongyou.api;

import java.util.Set;

/**
 * A feature of the server: a core XEP or an app extension, found with {@link java.util.ServiceLoader}
 * and enabled by its {@link #id()} in {@code conf/tongyou.yml}.
 *
 * <p>A plugin has a public no-argument constructor. Its {@link #start(PluginContext)} body reads as
 * the list of what it does: every route, interceptor, feature and task it registers through the
 * context is recorded and removed when the plugin stops, so a plugin never writes unregistration
 * code.
 */
public interface Plugin {

    /** The id under {@code plugins:} in the configuration, for example {@code ping}. */
    String id();

    /**
     * The APIs of other plugins this one needs ({@link PluginContext#require(Class)}). The server
     * starts plugins in dependency order and refuses to start when a required API is missing.
     */
    default Set<Class<?>> requires() {
        return Set.of();
    }

    /** The APIs this plugin offers to others through {@link PluginContext#provide(Class, Object)}. */
    default Set<Class<?>> provides() {
        return Set.of();
    }

    /** Registers everything the plugin does. Throwing stops the server's start with the message. */
    void start(PluginContext ctx) throws Exception;
}
