package im.tongyou.server.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry under {@code plugins:}: the plugin is enabled unless it says {@code enabled: false}, and
 * every other key is one of its options, bound to the plugin's own type when it starts.
 *
 * @param enabled whether the plugin runs
 * @param options the plugin's options, without {@code enabled}
 */
public record PluginEntry(boolean enabled, ObjectNode options) {

    /** Reads an entry from its YAML node: an object, or nothing ({@code ping:} or {@code ping: {}}). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PluginEntry of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new PluginEntry(true, JsonNodeFactory.instance.objectNode());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("a plugin entry must be a map of options, not " + node.getNodeType());
        }
        ObjectNode options = ((ObjectNode) node).deepCopy();
        JsonNode enabled = options.remove("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw new IllegalArgumentException("'enabled' must be true or false");
        }
        return new PluginEntry(enabled == null || enabled.booleanValue(), options);
    }

    /** Writes the entry back in its YAML shape: {@code enabled} first, then the options. */
    @JsonValue
    public ObjectNode toNode() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("enabled", enabled);
        node.setAll(options);
        return node;
    }
}
