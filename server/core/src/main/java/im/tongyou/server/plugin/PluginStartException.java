package im.tongyou.server.plugin;

/** A plugin could not start, or the enabled plugins do not fit together; the message says why. */
public class PluginStartException extends RuntimeException {

    public PluginStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
