package im.tongyou.server.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of the configuration keys that one Java type accepts, derived by reflection the way
 * Jackson binds it (record components and bean properties under the mapper's kebab-case naming,
 * nested records, maps, lists and scalars), used to check values, type overrides and resolve
 * environment variable names.
 */
final class ConfigSchema {

    /** What a key holds. */
    enum Kind {
        SECTION, MAP, LIST, PLUGIN, FREE, TEXT, INTEGER, LONG, DECIMAL, BOOLEAN, PATH, ENUM, OTHER;

        boolean isLeaf() {
            return this != SECTION && this != MAP && this != PLUGIN;
        }
    }

    private final ObjectMapper mapper;
    private final JavaType type;
    private final Kind kind;
    private Map<String, JavaType> keys;
    private boolean anyKey;

    private ConfigSchema(ObjectMapper mapper, JavaType type) {
        this.mapper = mapper;
        this.type = type;
        this.kind = kindOf(type);
    }

    static ConfigSchema of(ObjectMapper mapper, JavaType type) {
        return new ConfigSchema(mapper, type);
    }

    Kind kind() {
        return kind;
    }

    Class<?> rawClass() {
        return type.getRawClass();
    }

    /** The fixed keys of a section, in declaration order; empty for other kinds. */
    Map<String, JavaType> keys() {
        if (kind != Kind.SECTION) {
            return Map.of();
        }
        if (keys == null) {
            BeanDescription description = mapper.getDeserializationConfig().introspect(type);
            Map<String, JavaType> found = new LinkedHashMap<>();
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.couldDeserialize()) {
                    found.put(property.getName(), property.getPrimaryType());
                }
            }
            anyKey = description.findAnySetterAccessor() != null;
            keys = Collections.unmodifiableMap(found);
        }
        return keys;
    }

    /** The schema of the value under {@code key}, or empty when this schema has no such key. */
    Optional<ConfigSchema> child(String key) {
        return switch (kind) {
            case SECTION -> {
                JavaType t = keys().get(key);
                if (t != null) {
                    yield Optional.of(of(mapper, t));
                }
                yield anyKey ? Optional.of(free()) : Optional.empty();
            }
            case MAP -> Optional.of(of(mapper, type.getContentType()));
            case PLUGIN -> Optional.of("enabled".equals(key) ? of(mapper, mapper.constructType(Boolean.class)) : free());
            case FREE -> Optional.of(free());
            default -> Optional.empty();
        };
    }

    /** The schema of a list's elements. */
    ConfigSchema element() {
        return of(mapper, type.getContentType());
    }

    private ConfigSchema free() {
        return of(mapper, mapper.constructType(JsonNode.class));
    }

    private static Kind kindOf(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (JsonNode.class.isAssignableFrom(raw) || raw == Object.class) {
            return Kind.FREE;
        }
        if (raw == PluginEntry.class) {
            return Kind.PLUGIN;
        }
        if (type.isMapLikeType()) {
            return Kind.MAP;
        }
        if (type.isCollectionLikeType() || (type.isArrayType() && raw != byte[].class)) {
            return Kind.LIST;
        }
        if (raw == String.class || raw == CharSequence.class || raw == char.class || raw == Character.class) {
            return Kind.TEXT;
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class
                || raw == byte.class || raw == Byte.class) {
            return Kind.INTEGER;
        }
        if (raw == long.class || raw == Long.class || raw == BigInteger.class) {
            return Kind.LONG;
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == BigDecimal.class) {
            return Kind.DECIMAL;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (Path.class.isAssignableFrom(raw) || raw == File.class) {
            return Kind.PATH;
        }
        if (raw.isEnum()) {
            return Kind.ENUM;
        }
        if (raw.isRecord() || !(raw.isPrimitive() || raw.getName().startsWith("java"))) {
            return Kind.SECTION;
        }
        return Kind.OTHER;
    }
}
