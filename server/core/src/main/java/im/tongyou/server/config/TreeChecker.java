package im.tongyou.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a configuration tree against a {@link ConfigSchema} before Jackson binds it, so that an
 * unknown key or a value of the wrong type is reported with its key path and source, and types the
 * text of {@code --set} and environment overrides (a clean integer becomes a number, a
 * comma-separated value a list).
 *
 * <p>Values from the file are never coerced: {@code port: "5222"} is an error, as Jackson would say.
 */
final class TreeChecker {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Origins origins;

    TreeChecker(Origins origins) {
        this.origins = origins;
    }

    /** Checks {@code node} found at {@code path}, returning the node to keep in its place. */
    JsonNode check(JsonNode node, ConfigSchema schema, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return schema.kind() == ConfigSchema.Kind.PLUGIN ? NODES.objectNode() : node;
        }
        return switch (schema.kind()) {
            case SECTION -> checkSection(node, schema, path);
            case MAP -> checkMap(node, schema, path);
            case PLUGIN -> checkPlugin(node, schema, path);
            case LIST -> checkList(node, schema, path);
            case FREE, OTHER -> node;
            default -> node instanceof OverrideValue override ? typed(override, schema, path) : checkScalar(node, schema, path);
        };
    }

    private JsonNode checkSection(JsonNode node, ConfigSchema schema, String path) {
        ObjectNode object = requireObject(node, path, "a map of keys");
        for (String key : fieldNames(object)) {
            String childPath = KeyNames.join(path, key);
            ConfigSchema child = schema.child(key).orElseThrow(() -> fail(childPath, object.get(key),
                    "unknown key '" + childPath + "'" + KeyNames.hint(path, key, schema.keys().keySet())));
            object.set(key, check(object.get(key), child, childPath));
        }
        return object;
    }

    private JsonNode checkMap(JsonNode node, ConfigSchema schema, String path) {
        ObjectNode object = requireObject(node, path, "a map");
        for (String key : fieldNames(object)) {
            String childPath = KeyNames.join(path, key);
            object.set(key, check(object.get(key), schema.child(key).orElseThrow(), childPath));
        }
        return object;
    }

    private JsonNode checkPlugin(JsonNode node, ConfigSchema schema, String path) {
        ObjectNode object = requireObject(node, path, "a map of options (or empty)");
        JsonNode enabled = object.get("enabled");
        if (enabled != null) {
            object.set("enabled", check(enabled, schema.child("enabled").orElseThrow(), path + ".enabled"));
        }
        return object;
    }

    private JsonNode checkList(JsonNode node, ConfigSchema schema, String path) {
        ArrayNode array;
        if (node instanceof OverrideValue override) {
            array = NODES.arrayNode();
            for (String item : override.textValue().split(",")) {
                if (!item.isBlank()) {
                    array.add(new OverrideValue(item.trim(), override.source()));
                }
            }
        } else if (node.isArray()) {
            array = (ArrayNode) node;
        } else {
            throw fail(path, node, "'" + path + "' must be a list, such as [a, b], not " + describe(node));
        }
        ConfigSchema element = schema.element();
        for (int i = 0; i < array.size(); i++) {
            array.set(i, check(array.get(i), element, path + "[" + i + "]"));
        }
        return array;
    }

    private JsonNode checkScalar(JsonNode node, ConfigSchema schema, String path) {
        boolean ok = switch (schema.kind()) {
            case TEXT -> node.isValueNode();
            case INTEGER -> node.isIntegralNumber() && node.canConvertToInt();
            case LONG -> node.isIntegralNumber();
            case DECIMAL -> node.isNumber();
            case BOOLEAN -> node.isBoolean();
            case PATH -> node.isTextual() && !node.textValue().isBlank();
            case ENUM -> node.isTextual() && enumNames(schema).contains(node.textValue());
            default -> true;
        };
        if (!ok) {
            throw fail(path, node, "'" + path + "' must be " + expected(schema, path) + ", not " + describe(node));
        }
        return node;
    }

    /** Types the text of an override for a scalar key; an empty text is null, the type's default. */
    private JsonNode typed(OverrideValue override, ConfigSchema schema, String path) {
        String text = override.textValue();
        String trimmed = text.trim();
        if (schema.kind() != ConfigSchema.Kind.TEXT && trimmed.isEmpty()) {
            return NullNode.getInstance();
        }
        JsonNode node = switch (schema.kind()) {
            case TEXT -> new TextNode(text);
            case INTEGER -> INTEGER.matcher(trimmed).matches() && fitsInt(trimmed) ? IntNode.valueOf(Integer.parseInt(trimmed)) : null;
            case LONG -> INTEGER.matcher(trimmed).matches() && trimmed.length() < 19 ? LongNode.valueOf(Long.parseLong(trimmed)) : null;
            case DECIMAL -> DECIMAL.matcher(trimmed).matches() ? DecimalNode.valueOf(new BigDecimal(trimmed)) : null;
            case BOOLEAN -> "true".equalsIgnoreCase(trimmed) ? BooleanNode.TRUE
                    : "false".equalsIgnoreCase(trimmed) ? BooleanNode.FALSE : null;
            case ENUM -> enumNames(schema).contains(trimmed) ? new TextNode(trimmed) : null;
            default -> new TextNode(trimmed);
        };
        if (node == null) {
            throw fail(path, override, "'" + path + "' must be " + expected(schema, path) + ", not " + describe(override));
        }
        return node;
    }

    /** Gives every override left in a free-form tree (plugin options of unknown type) its likely type. */
    static JsonNode guessTypes(JsonNode node) {
        if (node instanceof OverrideValue override) {
            String text = override.textValue().trim();
            if (INTEGER.matcher(text).matches() && fitsInt(text)) {
                return IntNode.valueOf(Integer.parseInt(text));
            }
            if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
                return BooleanNode.valueOf(Boolean.parseBoolean(text));
            }
            return new TextNode(override.textValue());
        }
        if (node instanceof ObjectNode object) {
            for (String key : fieldNames(object)) {
                object.set(key, guessTypes(object.get(key)));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, guessTypes(array.get(i)));
            }
        }
        return node;
    }

    private static String expected(ConfigSchema schema, String path) {
        return switch (schema.kind()) {
            case INTEGER -> path.endsWith(".port") || path.equals("port")
                    ? "a number between 0 and 65535" : "a whole number";
            case LONG -> "a whole number";
            case DECIMAL -> "a number";
            case BOOLEAN -> "true or false";
            case PATH -> "a file path";
            case ENUM -> "one of " + String.join(", ", enumNames(schema));
            default -> "a single value";
        };
    }

    private static List<String> enumNames(ConfigSchema schema) {
        return Arrays.stream(schema.rawClass().getEnumConstants()).map(c -> ((Enum<?>) c).name())
                .collect(Collectors.toList());
    }

    private static boolean fitsInt(String digits) {
        try {
            Integer.parseInt(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private ObjectNode requireObject(JsonNode node, String path, String what) {
        if (node instanceof OverrideValue) {
            throw fail(path, node, "'" + path + "' is a section, not a value: set its keys one by one");
        }
        if (!node.isObject()) {
            throw fail(path, node, "'" + path + "' must be " + what + ", not " + describe(node));
        }
        return (ObjectNode) node;
    }

    private ConfigException fail(String path, JsonNode node, String message) {
        return new ConfigException(origins.of(path, node) + ": " + message);
    }

    /** How a value is shown in a message: quoted when it is a scalar. */
    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
