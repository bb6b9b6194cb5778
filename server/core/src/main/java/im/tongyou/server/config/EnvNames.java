package im.tongyou.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves an environment variable name such as {@code TONGYOU_LISTENERS_C2S_DIRECT_TLS_PORT} to
 * the key path it sets ({@code listeners.c2s-direct-tls.port}); since {@code _} stands for both
 * {@code .} and {@code -}, every reading is matched against the known keys.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>Only names that start with {@code TONGYOU_} followed by a top-level section name
 *       ({@code SERVER}, {@code LISTENERS}, {@code TLS}, {@code DATABASE}, {@code STREAM},
 *       {@code AUTH}, {@code PLUGINS}) are configuration; any other {@code TONGYOU_*} variable
 *       (the launcher's {@code TONGYOU_HOME}, {@code TONGYOU_OPTS}, {@code TONGYOU_CONFIG}, ...)
 *       is ignored.</li>
 *   <li>Inside sections the name is matched against the schema of the configuration records.</li>
 *   <li>Plugin ids, which are free, are matched against the plugins listed in the file (and those
 *       named by a {@code --set} key); a name under {@code TONGYOU_PLUGINS_} that matches none is
 *       an error.</li>
 *   <li>Plugin options are matched against the option keys present in the file, nested ones
 *       included; the words left over are joined with {@code -} into one option key at the deepest
 *       level reached ({@code TONGYOU_PLUGINS_VERSION_SHOW_OS} sets {@code plugins.version.show-os}).</li>
 *   <li>A reading that uses only known keys wins over one that invents a key; among the latter the
 *       one that matched the most words against known keys wins (so with plugins {@code mall} and
 *       {@code mall-admin}, {@code TONGYOU_PLUGINS_MALL_ADMIN_X} sets {@code plugins.mall-admin.x});
 *       a tie is an error that asks for {@code --set}.</li>
 * </ol>
 */
final class EnvNames {

    static final String PREFIX = "TONGYOU_";

    private record Candidate(List<String> path, int known, boolean exact) {
    }

    /** Where matching stopped for good: a section with no matching key, or the end of the name. */
    private record Miss(int pos, List<String> path, ConfigSchema schema, boolean endOfName) {
    }

    private final String name;
    private final String fileLabel;
    private final List<String> words;
    private final List<Candidate> candidates = new ArrayList<>();
    private Miss miss;

    private EnvNames(String name, String fileLabel) {
        this.name = name;
        this.fileLabel = fileLabel;
        this.words = Arrays.asList(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_", -1));
    }

    /**
     * The key path that {@code name} sets, or empty when the variable is not configuration.
     *
     * @throws ConfigException when the name is under a section but matches no key, or more than one
     */
    static Optional<List<String>> resolve(String name, ConfigSchema root, JsonNode tree, String fileLabel) {
        if (!name.startsWith(PREFIX) || name.length() == PREFIX.length()) {
            return Optional.empty();
        }
        EnvNames resolver = new EnvNames(name, fileLabel);
        boolean configuration = root.keys().keySet().stream().anyMatch(k -> resolver.startsWith(0, split(k)));
        if (!configuration) {
            return Optional.empty();
        }
        resolver.search(root, tree, 0, new ArrayList<>(), 0);
        return Optional.of(resolver.choose());
    }

    private void search(ConfigSchema schema, JsonNode node, int pos, List<String> path, int known) {
        if (pos == words.size()) {
            if (schema.kind().isLeaf()) {
                candidates.add(new Candidate(List.copyOf(path), known, true));
            } else {
                missAt(new Miss(pos, List.copyOf(path), schema, true));
            }
            return;
        }
        switch (schema.kind()) {
            case SECTION -> {
                for (String key : schema.keys().keySet()) {
                    descend(schema, node, key, pos, path, known);
                }
                missAt(new Miss(pos, List.copyOf(path), schema, false));
            }
            case MAP -> {
                for (String key : keysOf(node)) {
                    descend(schema, node, key, pos, path, known);
                }
                if (schema.child("any").orElseThrow().kind().isLeaf()) {
                    invent(path, pos, known);
                }
                missAt(new Miss(pos, List.copyOf(path), schema, false));
            }
            case PLUGIN -> {
                descend(schema, null, "enabled", pos, path, known);
                searchFree(node, pos, path, known);
            }
            case FREE -> searchFree(node, pos, path, known);
            default -> {
                // a value has no keys below it: this reading fails
            }
        }
    }

    private void searchFree(JsonNode node, int pos, List<String> path, int known) {
        if (node != null && node.isObject()) {
            for (String key : keysOf(node)) {
                descend(null, node, key, pos, path, known);
            }
        }
        if (node == null || node.isNull() || node.isObject()) {
            invent(path, pos, known);
        }
    }

    /** Follows {@code key} when the words at {@code pos} spell it; a null schema means free-form. */
    private void descend(ConfigSchema schema, JsonNode node, String key, int pos, List<String> path, int known) {
        List<String> keyWords = split(key);
        if (!startsWith(pos, keyWords)) {
            return;
        }
        ConfigSchema child = schema == null ? null : schema.child(key).orElseThrow();
        JsonNode childNode = node == null ? null : node.get(key);
        path.add(key);
        if (child == null) {
            if (pos + keyWords.size() == words.size()) {
                candidates.add(new Candidate(List.copyOf(path), known + keyWords.size(), true));
            } else {
                searchFree(childNode, pos + keyWords.size(), path, known + keyWords.size());
            }
        } else {
            search(child, childNode, pos + keyWords.size(), path, known + keyWords.size());
        }
        path.remove(path.size() - 1);
    }

    /** A reading that makes the remaining words one new kebab-case key. */
    private void invent(List<String> path, int pos, int known) {
        List<String> full = new ArrayList<>(path);
        full.add(String.join("-", words.subList(pos, words.size())));
        candidates.add(new Candidate(List.copyOf(full), known, false));
    }

    private List<String> choose() {
        Map<List<String>, Candidate> exact = new LinkedHashMap<>();
        Map<List<String>, Candidate> invented = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            (c.exact() ? exact : invented).putIfAbsent(c.path(), c);
        }
        invented.keySet().removeAll(exact.keySet());
        if (exact.size() == 1) {
            return exact.keySet().iterator().next();
        }
        if (exact.size() > 1) {
            throw ambiguous(exact.keySet());
        }
        if (!invented.isEmpty()) {
            int best = invented.values().stream().mapToInt(Candidate::known).max().orElseThrow();
            List<List<String>> top = invented.values().stream().filter(c -> c.known() == best)
                    .map(Candidate::path).collect(Collectors.toList());
            if (top.size() == 1) {
                return top.get(0);
            }
            throw ambiguous(top);
        }
        throw unresolved();
    }

    private ConfigException ambiguous(Collection<List<String>> paths) {
        String readings = paths.stream().map(p -> "'" + String.join(".", p) + "'")
                .sorted().collect(Collectors.joining(" or "));
        return error("the name is ambiguous: it could set " + readings
                + "; use --set with the key you mean instead");
    }

    private ConfigException unresolved() {
        String at = String.join(".", miss.path());
        if (miss.endOfName()) {
            Optional<String> first = miss.schema().kind() == ConfigSchema.Kind.PLUGIN ? Optional.of("enabled")
                    : miss.schema().keys().keySet().stream().findFirst();
            String example = first.map(k -> ", such as " + name + "_" + k.replace('-', '_').toUpperCase(Locale.ROOT))
                    .orElse("");
            return error("'" + at + "' is a section, not a value; set one of its keys" + example);
        }
        if (miss.schema().kind() == ConfigSchema.Kind.MAP) {
            return error("no plugin listed in " + fileLabel + " matches '"
                    + String.join("_", words.subList(miss.pos(), words.size())).toUpperCase(Locale.ROOT)
                    + "'; plugin options can come from the environment only for plugins listed in the file"
                    + " (otherwise use --set plugins.<id>.<option>=...)");
        }
        String unknown = String.join("-", words.subList(miss.pos(), words.size()));
        return error("unknown key '" + KeyNames.join(at, unknown) + "'"
                + KeyNames.hint(at, unknown, miss.schema().keys().keySet()));
    }

    private ConfigException error(String message) {
        return new ConfigException("environment variable " + name + ": " + message);
    }

    private void missAt(Miss candidate) {
        if (miss == null || candidate.pos() > miss.pos()) {
            miss = candidate;
        }
    }

    private boolean startsWith(int pos, List<String> keyWords) {
        return pos + keyWords.size() <= words.size() && words.subList(pos, pos + keyWords.size()).equals(keyWords);
    }

    private static List<String> keysOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return List.of();
        }
        List<String> keys = TreeChecker.fieldNames(node);
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    private static List<String> split(String key) {
        return Arrays.asList(key.toLowerCase(Locale.ROOT).split("-", -1));
    }
}
