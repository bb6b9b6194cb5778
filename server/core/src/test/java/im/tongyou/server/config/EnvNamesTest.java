package im.tongyou.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvNamesTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build();
    private static final ConfigSchema SERVER = ConfigSchema.of(MAPPER, MAPPER.constructType(ServerConfig.class));

    private static final JsonNode FILE = ConfigLoader.parse("""
            plugins:
              version: {}
              mall: {page-size: 10, limits: {max-items: 5}}
              mall-admin: {}
              invite-codes: ~
            """, "tongyou.yml");

    private static Optional<String> resolve(String name) {
        return EnvNames.resolve(name, SERVER, FILE, "tongyou.yml").map(path -> String.join(".", path));
    }

    @Test
    void sectionKeysAreResolved() {
        assertThat(resolve("TONGYOU_SERVER_DOMAIN")).contains("server.domain");
        assertThat(resolve("TONGYOU_SERVER_DATA_DIR")).contains("server.data-dir");
        assertThat(resolve("TONGYOU_SERVER_ADMIN_JIDS")).contains("server.admin-jids");
        assertThat(resolve("TONGYOU_STREAM_MAX_STANZA_BYTES")).contains("stream.max-stanza-bytes");
        assertThat(resolve("TONGYOU_AUTH_MAX_FAILURES_PER_STREAM")).contains("auth.max-failures-per-stream");
        assertThat(resolve("TONGYOU_TLS_PRIVATE_KEY")).contains("tls.private-key");
    }

    @Test
    void underscoreIsReadAsDotOrDashByTheSchema() {
        assertThat(resolve("TONGYOU_LISTENERS_C2S_PORT")).contains("listeners.c2s.port");
        assertThat(resolve("TONGYOU_LISTENERS_C2S_DIRECT_TLS_PORT")).contains("listeners.c2s-direct-tls.port");
        assertThat(resolve("TONGYOU_LISTENERS_C2S_PLAINTEXT_ENABLED")).contains("listeners.c2s-plaintext.enabled");
    }

    @Test
    void otherVariablesAreNotConfiguration() {
        assertThat(resolve("TONGYOU_HOME")).isEmpty();
        assertThat(resolve("TONGYOU_OPTS")).isEmpty();
        assertThat(resolve("TONGYOU_CONFIG")).isEmpty();
        assertThat(resolve("TONGYOU_PID_FILE")).isEmpty();
        assertThat(resolve("TONGYOU_")).isEmpty();
        assertThat(resolve("HOME")).isEmpty();
        assertThat(resolve("tongyou_server_domain")).isEmpty();
    }

    @Test
    void pluginIdsAreMatchedAgainstTheFile() {
        assertThat(resolve("TONGYOU_PLUGINS_VERSION_ENABLED")).contains("plugins.version.enabled");
        assertThat(resolve("TONGYOU_PLUGINS_VERSION_SHOW_OS")).contains("plugins.version.show-os");
        assertThat(resolve("TONGYOU_PLUGINS_INVITE_CODES_TTL_DAYS")).contains("plugins.invite-codes.ttl-days");
    }

    @Test
    void pluginOptionsFollowTheKeysInTheFile() {
        assertThat(resolve("TONGYOU_PLUGINS_MALL_PAGE_SIZE")).contains("plugins.mall.page-size");
        assertThat(resolve("TONGYOU_PLUGINS_MALL_LIMITS_MAX_ITEMS")).contains("plugins.mall.limits.max-items");
        assertThat(resolve("TONGYOU_PLUGINS_MALL_LIMITS_MAX_ORDERS")).contains("plugins.mall.limits.max-orders");
    }

    @Test
    void knownKeysWinOverInventedOnes() {
        // plugins.mall-admin.enabled uses only known keys; plugins.mall.admin-enabled would invent one
        assertThat(resolve("TONGYOU_PLUGINS_MALL_ADMIN_ENABLED")).contains("plugins.mall-admin.enabled");
    }

    @Test
    void longestKnownPluginIdWinsForNewOptions() {
        assertThat(resolve("TONGYOU_PLUGINS_MALL_ADMIN_PAGE_SIZE")).contains("plugins.mall-admin.page-size");
    }

    @Test
    void pluginNotInTheFileCannotBeResolved() {
        assertThatThrownBy(() -> resolve("TONGYOU_PLUGINS_LOCATION_ENABLED"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable TONGYOU_PLUGINS_LOCATION_ENABLED: no plugin listed in tongyou.yml"
                        + " matches 'LOCATION_ENABLED'; plugin options can come from the environment only for plugins"
                        + " listed in the file (otherwise use --set plugins.<id>.<option>=...)");
    }

    @Test
    void unknownKeyIsSuggested() {
        assertThatThrownBy(() -> resolve("TONGYOU_SERVER_DOMIAN"))
                .hasMessage("environment variable TONGYOU_SERVER_DOMIAN: unknown key 'server.domian' (did you mean 'server.domain'?)");
        assertThatThrownBy(() -> resolve("TONGYOU_LISTENERS_C2S_PROT"))
                .hasMessage("environment variable TONGYOU_LISTENERS_C2S_PROT: unknown key 'listeners.c2s.prot' (did you mean 'listeners.c2s.port'?)");
        assertThatThrownBy(() -> resolve("TONGYOU_LISTENERS_C2S_DIRECT_PORT"))
                .hasMessage("environment variable TONGYOU_LISTENERS_C2S_DIRECT_PORT: unknown key 'listeners.c2s.direct-port'"
                        + " (known keys under 'listeners.c2s': enabled, address, port)");
    }

    @Test
    void sectionIsNotAValue() {
        assertThatThrownBy(() -> resolve("TONGYOU_LISTENERS_C2S"))
                .hasMessage("environment variable TONGYOU_LISTENERS_C2S: 'listeners.c2s' is a section, not a value;"
                        + " set one of its keys, such as TONGYOU_LISTENERS_C2S_ENABLED");
        assertThatThrownBy(() -> resolve("TONGYOU_PLUGINS_VERSION"))
                .hasMessage("environment variable TONGYOU_PLUGINS_VERSION: 'plugins.version' is a section, not a value;"
                        + " set one of its keys, such as TONGYOU_PLUGINS_VERSION_ENABLED");
    }

    /** A schema where {@code A_B_C} reads as both {@code a.b-c} and {@code a-b.c}. */
    record Ambiguous(Inner a, Inner aB) {
        record Inner(String c, String bC) {
        }
    }

    @Test
    void twoReadingsOfKnownKeysAreAnError() {
        ConfigSchema schema = ConfigSchema.of(MAPPER, MAPPER.constructType(Ambiguous.class));

        assertThat(EnvNames.resolve("TONGYOU_A_C", schema, JsonNodeFactory.instance.objectNode(), "f.yml"))
                .contains(List.of("a", "c"));
        assertThatThrownBy(() -> EnvNames.resolve("TONGYOU_A_B_C", schema, JsonNodeFactory.instance.objectNode(), "f.yml"))
                .hasMessage("environment variable TONGYOU_A_B_C: the name is ambiguous: it could set 'a-b.c' or 'a.b-c';"
                        + " use --set with the key you mean instead");
    }

    @Test
    void twoPluginsInventingEquallyIsAnError() {
        JsonNode file = ConfigLoader.parse("plugins: {shop: {}, shop-x: {}, shop-x-y: {}}", "f.yml");

        // shop-x-y.z (3 known words) beats shop-x.y-z (2) and shop.x-y-z (1)
        assertThat(EnvNames.resolve("TONGYOU_PLUGINS_SHOP_X_Y_Z", SERVER, file, "f.yml")).contains(
                List.of("plugins", "shop-x-y", "z"));

        JsonNode tie = ConfigLoader.parse("plugins: {shop: {x: {}}, shop-x: {}}", "f.yml");
        assertThatThrownBy(() -> EnvNames.resolve("TONGYOU_PLUGINS_SHOP_X_Y", SERVER, tie, "f.yml"))
                .hasMessage("environment variable TONGYOU_PLUGINS_SHOP_X_Y: the name is ambiguous: it could set"
                        + " 'plugins.shop-x.y' or 'plugins.shop.x.y'; use --set with the key you mean instead");
    }
}
