package im.tongyou.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads {@code conf/tongyou.yml} into a typed, validated {@link ServerConfig}, with overrides from
 * {@code TONGYOU_*} environment variables and then {@code --set key=value} options (file &lt;
 * environment &lt; {@code --set}); every problem is a {@link ConfigException} naming its source and
 * key path (design guide §9).
 *
 * <p>Keys missing from the file take the defaults of the records; a partly given section keeps
 * the defaults of the keys it leaves out (so {@code c2s-plaintext: {enabled: true}} still binds
 * 127.0.0.1:5322). Values from the file are never coerced ({@code port: "5222"} is an error);
 * override values are text, typed by the key they set: a clean integer for a number,
 * {@code true}/{@code false} for a switch, comma-separated items for a list, and an empty value
 * for the key's default. How environment variable names map to keys is described in
 * {@link EnvNames}.
 */
public final class ConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final ObjectMapper MAPPER = mapper();
    private static final String MASK = "********";
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    private ConfigLoader() {
    }

    /**
     * Loads a configuration file that the user named: a missing file is an error.
     *
     * @param file the YAML file; its path as given is the name used in messages
     * @param sets {@code --set} overrides, dotted kebab-case key to text value, applied in order
     * @param env  the environment (usually {@code System.getenv()}); only {@code TONGYOU_*} names
     *             under a configuration section are read
     * @throws ConfigException when the file or an override is unusable
     */
    public static ServerConfig load(Path file, Map<String, String> sets, Map<String, String> env) {
        Objects.requireNonNull(file, "file");
        return load(file.toString(), read(file), sets, env);
    }

    /**
     * Loads the default configuration file if it exists, and otherwise the built-in defaults (the
     * same as an empty file) with the overrides applied; for a start without {@code --config}.
     */
    public static ServerConfig loadOrDefaults(Path defaultFile, Map<String, String> sets, Map<String, String> env) {
        if (Files.exists(defaultFile)) {
            return load(defaultFile, sets, env);
        }
        LOG.info("No configuration file at {}: using the built-in defaults", defaultFile);
        return load(defaultFile.toString(), JsonNodeFactory.instance.objectNode(), sets, env);
    }

    /**
     * Binds one plugin's options (its entry under {@code plugins:} without {@code enabled}) to the
     * plugin's own record or class, with the same rules and messages as the server's keys, for
     * example {@code conf/tongyou.yml: unknown key 'plugins.version.show-oss'}.
     *
     * @param file     the configuration file, named in messages (null when there was none)
     * @param pluginId the plugin's id, the first part of the key paths in messages
     * @param options  the options as loaded, possibly holding {@code --set} or environment values
     * @param type     the plugin's options type; a record gets its defaults from its constructor
     * @throws ConfigException when an option is unknown, of the wrong type or rejected by the type
     */
    public static <T> T bindPluginOptions(Path file, String pluginId, ObjectNode options, Class<T> type) {
        Origins origins = new Origins(file == null ? "configuration" : file.toString());
        String path = "plugins." + pluginId;
        ObjectNode copy = options == null ? JsonNodeFactory.instance.objectNode() : options.deepCopy();
        ConfigSchema schema = ConfigSchema.of(MAPPER, MAPPER.constructType(type));
        JsonNode checked = TreeChecker.guessTypes(new TreeChecker(origins).check(copy, schema, path));
        return bind(checked, type, path, origins);
    }

    /**
     * The effective configuration as YAML, for {@code --print-config}: every key with its value,
     * the database password and any plugin option named like a password, secret or token masked.
     */
    public static String toYaml(ServerConfig config) {
        ObjectNode tree = MAPPER.valueToTree(config);
        ObjectNode database = (ObjectNode) tree.get("database");
        if (!config.database().password().isEmpty()) {
            database.put("password", MASK);
        }
        database.put("url", maskUrl(config.database().url()));
        ObjectNode plugins = tree.putObject("plugins");
        config.plugins().forEach((id, entry) -> plugins.set(id, maskSecrets(TreeChecker.guessTypes(entry.toNode().deepCopy()))));
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as YAML", e);
        }
    }

    private static ServerConfig load(String label, ObjectNode fileTree, Map<String, String> sets, Map<String, String> env) {
        ConfigSchema schema = ConfigSchema.of(MAPPER, MAPPER.constructType(ServerConfig.class));
        ObjectNode tree = (ObjectNode) merge(MAPPER.valueToTree(ServerConfig.defaults()), fileTree);
        Origins origins = new Origins(label);
        Overrides.apply(tree, schema, sets == null ? Map.of() : sets, env == null ? Map.of() : env, origins);
        new TreeChecker(origins).check(tree, schema, "");
        ServerConfig bound = bind(tree, ServerConfig.class, "", origins);
        // Jackson hands PluginEntry a re-read copy of its node; take the checked one, which keeps
        // the sources of override values until the plugin binds its options.
        Map<String, PluginEntry> plugins = new LinkedHashMap<>();
        tree.get("plugins").properties().forEach(e -> plugins.put(e.getKey(), PluginEntry.of(e.getValue())));
        ServerConfig config = new ServerConfig(bound.server(), bound.listeners(), bound.tls(), bound.database(),
                bound.stream(), bound.auth(), bound.privacy(), plugins);
        return ConfigValidator.validate(config, origins);
    }

    private static ObjectNode read(Path file) {
        String label = file.toString();
        if (!Files.exists(file)) {
            throw new ConfigException(label + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException(label + ": is a directory, not a configuration file");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), label);
        } catch (CharacterCodingException e) {
            throw new ConfigException(label + ": is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(label + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text into a tree; syntax errors and duplicate keys are reported with their line. */
    static ObjectNode parse(String text, String label) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (MismatchedInputException e) {
            Matcher m = DUPLICATE.matcher(e.getOriginalMessage());
            String key = m.find() ? m.group(1) : "?";
            throw new ConfigException(label + ": line " + line(e) + ": duplicate key '" + pathAt(e, key) + "'", e);
        } catch (JsonProcessingException e) {
            String problem = e.getCause() instanceof MarkedYAMLException yaml
                    ? (yaml.getContext() == null ? "" : yaml.getContext() + ", ") + yaml.getProblem()
                    : e.getOriginalMessage();
            int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new ConfigException(label + ": YAML syntax error at line " + line(e)
                    + (column > 0 ? ", column " + column : "") + ": " + problem, e);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(label + ": the file must be a map of sections (server:, listeners:, ...), not "
                    + TreeChecker.describe(node));
        }
        return (ObjectNode) node;
    }

    private static <T> T bind(JsonNode tree, Class<T> type, String prefix, Origins origins) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            StringBuilder at = new StringBuilder(prefix);
            e.getPath().forEach(ref -> {
                if (ref.getFieldName() != null) {
                    at.append(at.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    at.append('[').append(ref.getIndex()).append(']');
                }
            });
            Throwable cause = e instanceof ValueInstantiationException && e.getCause() != null ? e.getCause() : e;
            String detail = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new ConfigException(origins.of(at.toString()) + ": '" + at + "': " + detail, e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ConfigException(origins.fileLabel() + ": '" + prefix + "': " + e.getMessage(), e);
        }
    }

    /** The file's tree laid over the defaults: maps merge key by key, anything else replaces, null keeps. */
    static JsonNode merge(JsonNode base, JsonNode over) {
        if (over == null || over.isNull()) {
            return base;
        }
        if (base instanceof ObjectNode baseObject && over instanceof ObjectNode overObject) {
            ObjectNode result = baseObject.deepCopy();
            overObject.properties().forEach(e -> result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue())));
            return result;
        }
        return over;
    }

    private static JsonNode maskSecrets(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String key : TreeChecker.fieldNames(object)) {
                JsonNode value = object.get(key);
                if (KeyNames.isSecret(key) && value.isValueNode() && !value.isNull()) {
                    object.put(key, MASK);
                } else {
                    maskSecrets(value);
                }
            }
        }
        return node;
    }

    private static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1" + MASK);
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    }

    /** The dotted path of {@code key} inside the maps the parser was in when it failed. */
    private static String pathAt(JsonProcessingException e, String key) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return key;
        }
        Deque<String> names = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                names.push(c.getCurrentName());
            }
        }
        return names.isEmpty() ? key : String.join(".", names);
    }

    private static ObjectMapper mapper() {
        YAMLFactory factory = YAMLFactory.builder()
                .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build();
        SimpleModule paths = new SimpleModule("tongyou-config-paths");
        paths.addSerializer(Path.class, ToStringSerializer.instance);
        return YAMLMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(paths)
                .build();
    }
}
