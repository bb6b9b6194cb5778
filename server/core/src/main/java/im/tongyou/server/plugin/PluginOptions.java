package im.tongyou.server.plugin;

/** Binds a plugin's options from the configuration to the plugin's own type, or fails naming the key. */
public interface PluginOptions {

    /**
     * @throws IllegalArgumentException with a message naming the file and the key that is wrong
     */
    <T> T bind(String pluginId, Class<T> type);
}
