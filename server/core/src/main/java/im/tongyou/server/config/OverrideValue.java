package im.tongyou.server.config;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A value given as text by a {@code --set} option or an environment variable, before it is typed
 * against the key it sets; it remembers its source so that errors can name it.
 *
 * <p>Values under a plugin's options keep this form until the plugin binds them to its own type
 * (only then is the type known); Jackson's {@code deepCopy} keeps value nodes as they are.
 */
final class OverrideValue extends TextNode {

    private static final long serialVersionUID = 1L;

    private final String source;

    OverrideValue(String value, String source) {
        super(value);
        this.source = source;
    }

    /** Where the value came from, for example {@code --set listeners.c2s.port=abc}. */
    String source() {
        return source;
    }
}
