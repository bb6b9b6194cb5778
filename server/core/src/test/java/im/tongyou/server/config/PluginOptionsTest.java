package im.tongyou.server.config;

import static im.tongyou.server.config.ConfigFiles.map;
import static im.tongyou.server.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginOptionsTest {

    @TempDir
    Path dir;

    /** Options of a plugin, with defaults as a real plugin would write them. */
    record VersionOptions(Boolean showOs, String name) {
        VersionOptions {
            showOs = showOs == null ? Boolean.FALSE : showOs;
            name = name == null ? "Tongyou" : name;
        }
    }

    /** Options with a nested record, a list and a number checked by the record itself. */
    record MallOptions(Integer pageSize, Limits limits, List<String> currencies) {
        MallOptions {
            pageSize = pageSize == null ? 20 : pageSize;
            limits = limits == null ? new Limits(null) : limits;
            currencies = currencies == null ? List.of("CNY") : List.copyOf(currencies);
            if (pageSize > 100) {
                throw new IllegalArgumentException("page-size must be at most 100");
            }
        }

        record Limits(Integer maxItems) {
            Limits {
                maxItems = maxItems == null ? 50 : maxItems;
            }
        }
    }

    private ObjectNode options(ServerConfig config, String id) {
        return config.plugins().get(id).options();
    }

    @Test
    void emptyOptionsGiveTheDefaults() {
        Path file = write(dir, "plugins: {version: {}}");
        ServerConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThat(ConfigLoader.bindPluginOptions(file, "version", options(config, "version"), VersionOptions.class))
                .isEqualTo(new VersionOptions(false, "Tongyou"));
    }

    @Test
    void optionsFromTheFileAreBound() {
        Path file = write(dir, "plugins:\n  mall:\n    page-size: 50\n    limits: {max-items: 9}\n    currencies: [CNY, HKD]\n");
        ServerConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThat(ConfigLoader.bindPluginOptions(file, "mall", options(config, "mall"), MallOptions.class))
                .isEqualTo(new MallOptions(50, new MallOptions.Limits(9), List.of("CNY", "HKD")));
    }

    @Test
    void overridesAreTypedByThePluginsOwnRecord() {
        Path file = write(dir, "plugins:\n  version: {}\n  mall: {limits: {}}\n");
        ServerConfig config = ConfigLoader.load(file,
                map("plugins.version.show-os", "true", "plugins.mall.currencies", "CNY,USD", "plugins.mall.page-size", "30"),
                map("TONGYOU_PLUGINS_MALL_LIMITS_MAX_ITEMS", "7", "TONGYOU_PLUGINS_VERSION_NAME", "007"));

        assertThat(ConfigLoader.bindPluginOptions(file, "version", options(config, "version"), VersionOptions.class))
                .isEqualTo(new VersionOptions(true, "007"));
        assertThat(ConfigLoader.bindPluginOptions(file, "mall", options(config, "mall"), MallOptions.class))
                .isEqualTo(new MallOptions(30, new MallOptions.Limits(7), List.of("CNY", "USD")));
    }

    @Test
    void unknownOptionIsSuggested() {
        Path file = write(dir, "plugins: {version: {show-oss: true}}");
        ServerConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThatThrownBy(() -> ConfigLoader.bindPluginOptions(file, "version", options(config, "version"), VersionOptions.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": unknown key 'plugins.version.show-oss' (did you mean 'plugins.version.show-os'?)");
    }

    @Test
    void unknownNestedOptionIsSuggested() {
        Path file = write(dir, "plugins: {mall: {limits: {max-item: 3}}}");
        ServerConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThatThrownBy(() -> ConfigLoader.bindPluginOptions(file, "mall", options(config, "mall"), MallOptions.class))
                .hasMessage(file + ": unknown key 'plugins.mall.limits.max-item' (did you mean 'plugins.mall.limits.max-items'?)");
    }

    @Test
    void wrongTypeInTheFileIsNotCoerced() {
        Path file = write(dir, "plugins: {version: {show-os: 'true'}}");
        ServerConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThatThrownBy(() -> ConfigLoader.bindPluginOptions(file, "version", options(config, "version"), VersionOptions.class))
                .hasMessage(file + ": 'plugins.version.show-os' must be true or false, not 'true'");
    }

    @Test
    void badOverrideNamesItsSource() {
        Path file = write(dir, "plugins: {mall: {}}");
        ServerConfig config = ConfigLoader.load(file, Map.of(), map("TONGYOU_PLUGINS_MALL_PAGE_SIZE", "lots"));

        assertThatThrownBy(() -> ConfigLoader.bindPluginOptions(file, "mall", options(config, "mall"), MallOptions.class))
                .hasMessage("environment variable TONGYOU_PLUGINS_MALL_PAGE_SIZE: 'plugins.mall.page-size' must be a whole number, not 'lots'");
    }

    @Test
    void unknownOptionFromSetNamesTheOption() {
        Path file = write(dir, "plugins: {version: {}}");
        ServerConfig config = ConfigLoader.load(file, map("plugins.version.show-oss", "true"), Map.of());

        assertThatThrownBy(() -> ConfigLoader.bindPluginOptions(file, "version", options(config, "version"), VersionOptions.class))
                .hasMessage("--set plugins.version.show-oss=true: unknown key 'plugins.version.show-oss' (did you mean 'plugins.version.show-os'?)");
    }

    @Test
    void recordsOwnCheckIsReportedWithThePluginsPath() {
        Path file = write(dir, "plugins: {mall: {page-size: 500}}");
        ServerConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThatThrownBy(() -> ConfigLoader.bindPluginOptions(file, "mall", options(config, "mall"), MallOptions.class))
                .hasMessage(file + ": 'plugins.mall': page-size must be at most 100");
    }

    @Test
    void bindingDoesNotChangeTheLoadedOptions() {
        Path file = write(dir, "plugins: {version: {}}");
        ServerConfig config = ConfigLoader.load(file, map("plugins.version.show-os", "true"), Map.of());
        String before = options(config, "version").toString();

        ConfigLoader.bindPluginOptions(file, "version", options(config, "version"), VersionOptions.class);

        assertThat(options(config, "version").toString()).isEqualTo(before);
        assertThat(options(config, "version").get("show-os")).isInstanceOf(OverrideValue.class);
    }
}
