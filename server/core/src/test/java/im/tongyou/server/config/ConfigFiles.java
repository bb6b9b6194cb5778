package im.tongyou.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers that write a configuration file and load it. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static Path write(Path dir, String yaml) {
        try {
            Path file = dir.resolve("tongyou.yml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerConfig load(Path dir, String yaml) {
        return ConfigLoader.load(write(dir, yaml), Map.of(), Map.of());
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, String> map(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
