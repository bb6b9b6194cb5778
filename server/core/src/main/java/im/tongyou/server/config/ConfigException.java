package im.tongyou.server.config;

/**
 * A configuration that cannot be used; the message names where the bad value came from (the file,
 * a {@code --set} option or an environment variable) and its key path, ready to show to a person.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message is shown as it is. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates an exception whose message is shown as it is, keeping the underlying cause. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
