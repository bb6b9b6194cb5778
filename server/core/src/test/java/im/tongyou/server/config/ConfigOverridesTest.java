package im.tongyou.server.config;

import static im.tongyou.server.config.ConfigFiles.map;
import static im.tongyou.server.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigOverridesTest {

    @TempDir
    Path dir;

    private ServerConfig load(String yaml, Map<String, String> sets, Map<String, String> env) {
        return ConfigLoader.load(write(dir, yaml), sets, env);
    }

    @Test
    void setOverridesEveryKindOfValue() {
        ServerConfig config = load("", map(
                "server.domain", "example.org",
                "server.data-dir", "/srv/tongyou",
                "server.admin-jids", "a@example.org, b@example.org",
                "listeners.c2s.port", "15222",
                "listeners.c2s-plaintext.enabled", "true",
                "tls.protocols", "TLSv1.3",
                "plugins.version.show-os", "true"), Map.of());

        assertThat(config.server()).isEqualTo(new ServerConfig.Server("example.org", Path.of("/srv/tongyou"),
                List.of("a@example.org", "b@example.org")));
        assertThat(config.listeners().c2s().port()).isEqualTo(15222);
        assertThat(config.listeners().c2sPlaintext()).isEqualTo(new ServerConfig.Listener(true, "127.0.0.1", 5322));
        assertThat(config.tls().protocols()).containsExactly("TLSv1.3");
        assertThat(config.plugins().get("version").enabled()).isTrue();
        assertThat(config.plugins().get("version").options().get("show-os").asText()).isEqualTo("true");
    }

    @Test
    void emptyOverrideKeepsANumberAndEmptiesAListOrText() {
        ServerConfig config = load("listeners: {c2s: {port: 1234}}\nserver: {admin-jids: [a@x.org]}\n"
                        + "database: {username: sa}\n",
                map("listeners.c2s.port", "", "server.admin-jids", "", "database.username", ""),
                map("TONGYOU_LISTENERS_C2S_ENABLED", "", "TONGYOU_STREAM_MAX_DEPTH", " "));

        assertThat(config.listeners().c2s()).isEqualTo(new ServerConfig.Listener(true, "0.0.0.0", 1234));
        assertThat(config.stream().maxDepth()).isEqualTo(32);
        assertThat(config.server().adminJids()).isEmpty();
        assertThat(config.database().username()).isEmpty();
    }

    @Test
    void environmentOverridesTheFileAndSetOverridesTheEnvironment() {
        String yaml = "server: {domain: file.org}\nlisteners: {c2s: {port: 1111}, c2s-direct-tls: {port: 1112}}\n";

        ServerConfig config = load(yaml,
                map("listeners.c2s.port", "3333"),
                map("TONGYOU_LISTENERS_C2S_PORT", "2222", "TONGYOU_SERVER_DOMAIN", "env.org",
                        "TONGYOU_LISTENERS_C2S_DIRECT_TLS_PORT", "2223"));

        assertThat(config.server().domain()).isEqualTo("env.org");
        assertThat(config.listeners().c2s().port()).isEqualTo(3333);
        assertThat(config.listeners().c2sDirectTls().port()).isEqualTo(2223);
    }

    @Test
    void laterSetWins() {
        ServerConfig config = load("", map("server.domain", "a.org", "server.domain", "b.org"), Map.of());

        assertThat(config.server().domain()).isEqualTo("b.org");
    }

    @Test
    void launcherVariablesAreIgnored() {
        ServerConfig config = load("", Map.of(), map("TONGYOU_HOME", "/opt/tongyou", "TONGYOU_OPTS", "-Xmx1g",
                "TONGYOU_CONFIG", "/etc/tongyou.yml", "TONGYOU_PID_FILE", "/run/t.pid", "TONGYOU_LOGS", "/var/log",
                "TONGYOU_", "x", "PATH", "/usr/bin"));

        assertThat(config).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void badSetValueNamesTheOption() {
        assertThatThrownBy(() -> load("", map("listeners.c2s.port", "abc"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--set listeners.c2s.port=abc: 'listeners.c2s.port' must be a number between 0 and 65535, not 'abc'");
        assertThatThrownBy(() -> load("", map("listeners.c2s.port", "5222.0"), Map.of()))
                .hasMessage("--set listeners.c2s.port=5222.0: 'listeners.c2s.port' must be a number between 0 and 65535, not '5222.0'");
        assertThatThrownBy(() -> load("", map("listeners.c2s.enabled", "yes"), Map.of()))
                .hasMessage("--set listeners.c2s.enabled=yes: 'listeners.c2s.enabled' must be true or false, not 'yes'");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> load("", Map.of(), map("TONGYOU_STREAM_MAX_DEPTH", "deep")))
                .hasMessage("environment variable TONGYOU_STREAM_MAX_DEPTH: 'stream.max-depth' must be a whole number, not 'deep'");
    }

    @Test
    void outOfRangeOverrideNamesItsSourceInValidation() {
        assertThatThrownBy(() -> load("", Map.of(), map("TONGYOU_LISTENERS_C2S_PORT", "70000")))
                .hasMessage("environment variable TONGYOU_LISTENERS_C2S_PORT: 'listeners.c2s.port' must be a number"
                        + " between 0 and 65535, not '70000'");
        assertThatThrownBy(() -> load("", map("server.domain", "example.org:5222"), Map.of()))
                .hasMessageStartingWith("--set server.domain=example.org:5222: 'server.domain' must be a domain without a port");
    }

    @Test
    void validationErrorInTheFileNamesTheFileEvenWithUnrelatedOverrides() {
        Path file = write(dir, "listeners: {c2s: {port: 70000}}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, map("listeners.c2s.address", "::"), Map.of()))
                .hasMessage(file + ": 'listeners.c2s.port' must be a number between 0 and 65535, not '70000'");
    }

    @Test
    void unknownSetKeyIsSuggested() {
        assertThatThrownBy(() -> load("", map("server.domian", "example.org"), Map.of()))
                .hasMessage("--set server.domian=example.org: unknown key 'server.domian' (did you mean 'server.domain'?)");
        assertThatThrownBy(() -> load("", map("listeners.c2s.prot.x", "1"), Map.of()))
                .hasMessage("--set listeners.c2s.prot.x=1: unknown key 'listeners.c2s.prot' (did you mean 'listeners.c2s.port'?)");
    }

    @Test
    void setOnASectionIsRejected() {
        assertThatThrownBy(() -> load("", map("listeners.c2s", "5222"), Map.of()))
                .hasMessage("--set listeners.c2s=5222: 'listeners.c2s' is a section, not a value: set its keys one by one");
    }

    @Test
    void malformedSetKeyIsRejected() {
        assertThatThrownBy(() -> load("", map("server..domain", "x"), Map.of()))
                .hasMessage("--set server..domain=x: the key must be a dotted path such as server.domain");
    }

    @Test
    void secretsAreMaskedInSourceNames() {
        assertThatThrownBy(() -> load("", map("database.password.x", "hunter2"), Map.of()))
                .hasMessage("--set database.password.x=****: 'database.password' must be a single value, not a map");
    }

    @Test
    void pluginCanBeDisabledFromTheEnvironment() {
        ServerConfig config = load("plugins: {ping: {}, version: {}}\n", Map.of(),
                map("TONGYOU_PLUGINS_VERSION_ENABLED", "false"));

        assertThat(config.plugins().get("version").enabled()).isFalse();
        assertThat(config.plugins().get("ping").enabled()).isTrue();
    }
}
