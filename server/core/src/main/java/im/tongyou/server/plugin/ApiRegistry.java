package im.tongyou.server.plugin;

import java.util.concurrent.ConcurrentHashMap;

/** The APIs that started plugins provide to others ({@link im.tongyou.api.PluginContext#provide}). */
final class ApiRegistry {

    private final ConcurrentHashMap<Class<?>, Object> apis = new ConcurrentHashMap<>();

    <T> AutoCloseable put(Class<T> api, T implementation) {
        if (!api.isInstance(implementation)) {
            throw new IllegalArgumentException(implementation.getClass().getName() + " does not implement " + api.getName());
        }
        if (apis.putIfAbsent(api, implementation) != null) {
            throw new IllegalStateException(api.getName() + " is already provided by another plugin");
        }
        return () -> apis.remove(api, implementation);
    }

    /** The implementation of an API, when a started plugin provides it. */
    <T> java.util.Optional<T> find(Class<T> api) {
        return java.util.Optional.ofNullable(apis.get(api)).map(api::cast);
    }

    <T> T get(Class<T> api) {
        Object implementation = apis.get(api);
        if (implementation == null) {
            throw new IllegalStateException("no started plugin provides " + api.getName());
        }
        return api.cast(implementation);
    }
}
