package im.tongyou.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies {@code --set key=value} options and {@code TONGYOU_*} environment variables to the
 * configuration tree read from the file, in the order file, then environment, then {@code --set}
 * (the later one wins), as text values that the {@link TreeChecker} types afterwards.
 *
 * <p>An empty value for a number, a switch, a path or an enum leaves the key as it was (as if the
 * variable were unset, which is what {@code TONGYOU_X=${UNSET}} in a compose file gives); for a
 * text it sets the empty text and for a list the empty list.
 */
final class Overrides {

    private Overrides() {
    }

    static void apply(ObjectNode tree, ConfigSchema root, Map<String, String> sets, Map<String, String> env,
                      Origins origins) {
        // Plugin ids named by a --set key count as listed when resolving environment names.
        ObjectNode lookup = tree.deepCopy();
        applySets(lookup, root, sets, new Origins(origins.fileLabel()));
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            EnvNames.resolve(name, root, lookup, origins.fileLabel()).ifPresent(path ->
                    put(tree, root, path, e.getValue(), "environment variable " + name, origins));
        }
        applySets(tree, root, sets, origins);
    }

    private static void applySets(ObjectNode tree, ConfigSchema root, Map<String, String> sets, Origins origins) {
        for (Map.Entry<String, String> e : sets.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey().trim();
            String value = e.getValue() == null ? "" : e.getValue();
            String source = "--set " + key + "=" + (KeyNames.isSecret(key) ? "****" : value);
            List<String> path = Arrays.asList(key.split("\\.", -1));
            if (key.isEmpty() || path.stream().anyMatch(String::isBlank)) {
                throw new ConfigException(source + ": the key must be a dotted path such as server.domain");
            }
            put(tree, root, path, value, source, origins);
        }
    }

    private static void put(ObjectNode tree, ConfigSchema root, List<String> path, String value, String source,
                            Origins origins) {
        String text = value == null ? "" : value;
        if (text.isBlank() && keepsValueWhenEmpty(root, path)) {
            return;
        }
        put(tree, path, new OverrideValue(text, source));
        origins.record(String.join(".", path), source);
    }

    private static boolean keepsValueWhenEmpty(ConfigSchema root, List<String> path) {
        Optional<ConfigSchema> schema = Optional.of(root);
        for (String key : path) {
            schema = schema.flatMap(s -> s.child(key));
        }
        return schema.map(s -> switch (s.kind()) {
            case INTEGER, LONG, DECIMAL, BOOLEAN, PATH, ENUM -> true;
            default -> false;
        }).orElse(false);
    }

    /** Sets {@code value} at {@code path}, making the maps on the way (a value in the way is replaced). */
    static void put(ObjectNode tree, List<String> path, JsonNode value) {
        ObjectNode current = tree;
        for (String key : path.subList(0, path.size() - 1)) {
            JsonNode next = current.get(key);
            current = next instanceof ObjectNode object ? object : current.putObject(key);
        }
        current.set(path.get(path.size() - 1), value);
    }
}
