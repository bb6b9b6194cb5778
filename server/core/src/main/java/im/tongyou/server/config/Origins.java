package im.tongyou.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which key paths were set by overrides, so that an error about a key names the
 * {@code --set} option or environment variable that gave it, and otherwise the file.
 */
final class Origins {

    private final String fileLabel;
    private final Map<String, String> sources = new LinkedHashMap<>();

    Origins(String fileLabel) {
        this.fileLabel = fileLabel;
    }

    String fileLabel() {
        return fileLabel;
    }

    void record(String path, String source) {
        sources.remove(path);
        sources.put(path, source);
    }

    /**
     * The source of the value at {@code path}: the override that set this path, a path above it or
     * below it (the latest one wins, as it did when applied), else the file.
     */
    String of(String path) {
        String bare = path.replaceAll("\\[\\d+]", "");
        String found = null;
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String p = e.getKey();
            if (p.equals(bare) || bare.startsWith(p + ".") || p.startsWith(bare + ".")) {
                found = e.getValue();
            }
        }
        return found == null ? fileLabel : found;
    }

    /** The source of a node: its own when it is an override, else the one recorded for its path. */
    String of(String path, JsonNode node) {
        return node instanceof OverrideValue override ? override.source() : of(path);
    }

    /** A {@link ConfigException} about {@code path}, prefixed with the path's source. */
    ConfigException error(String path, String message) {
        return new ConfigException(of(path) + ": " + message);
    }
}
