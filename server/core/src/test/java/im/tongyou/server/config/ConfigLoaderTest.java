package im.tongyou.server.config;

import static im.tongyou.server.config.ConfigFiles.load;
import static im.tongyou.server.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void emptyFileGivesTheDefaults() {
        ServerConfig config = load(dir, "");

        assertThat(config).isEqualTo(ServerConfig.defaults());
        assertThat(config.server().domain()).isEqualTo("localhost");
        assertThat(config.server().dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.listeners().c2s()).isEqualTo(new ServerConfig.Listener(true, "0.0.0.0", 5222));
        assertThat(config.listeners().c2sDirectTls()).isEqualTo(new ServerConfig.Listener(true, "0.0.0.0", 5223));
        assertThat(config.listeners().c2sPlaintext()).isEqualTo(new ServerConfig.Listener(false, "127.0.0.1", 5322));
        assertThat(config.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.database().url()).isEmpty();
        assertThat(config.plugins()).isEmpty();
    }

    @Test
    void commentsOnlyAndEmptySectionsGiveTheDefaults() {
        assertThat(load(dir, "# nothing here\n")).isEqualTo(ServerConfig.defaults());
        assertThat(load(dir, "server:\ntls: ~\nlisteners: {}\n")).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void fullFileIsBound() {
        ServerConfig config = load(dir, """
                server:
                  domain: chat.example.org
                  data-dir: /var/lib/tongyou
                  admin-jids: [boss@chat.example.org, Ops@Chat.Example.org]
                listeners:
                  c2s: {enabled: true, address: "::", port: 15222}
                  c2s-direct-tls: {enabled: false, address: 0.0.0.0, port: 15223}
                  c2s-plaintext: {enabled: true, address: 127.0.0.2, port: 15322}
                tls:
                  certificate: /etc/tongyou/cert.pem
                  private-key: /etc/tongyou/key.pem
                  protocols: [TLSv1.3]
                database:
                  url: jdbc:postgresql://db/tongyou
                  username: tongyou
                  password: 123456
                  max-pool-size: 20
                stream: {max-stanza-bytes: 65536, max-depth: 16, negotiation-timeout-seconds: 10, idle-timeout-seconds: 300}
                auth:
                  mechanisms: [SCRAM-SHA-256]
                  scram-iterations: 10000
                  max-failures-per-account: 5
                  max-failures-per-address: 20
                  failure-window-seconds: 60
                  max-failures-per-stream: 2
                plugins:
                  disco:
                  ping: {}
                  version: {enabled: false, show-os: true}
                """);

        assertThat(config.server()).isEqualTo(new ServerConfig.Server("chat.example.org", Path.of("/var/lib/tongyou"),
                List.of("boss@chat.example.org", "ops@chat.example.org")));
        assertThat(config.listeners().c2s()).isEqualTo(new ServerConfig.Listener(true, "::", 15222));
        assertThat(config.listeners().c2sDirectTls().enabled()).isFalse();
        assertThat(config.listeners().c2sPlaintext()).isEqualTo(new ServerConfig.Listener(true, "127.0.0.2", 15322));
        assertThat(config.tls()).isEqualTo(new ServerConfig.Tls(Path.of("/etc/tongyou/cert.pem"),
                Path.of("/etc/tongyou/key.pem"), List.of("TLSv1.3")));
        assertThat(config.database()).isEqualTo(new ServerConfig.Database("jdbc:postgresql://db/tongyou", "tongyou", "123456", 20));
        assertThat(config.stream()).isEqualTo(new ServerConfig.Stream(65536, 16, 10, 300, 300, 1000, null, null, null, null));
        assertThat(config.auth()).isEqualTo(new ServerConfig.Auth(List.of("SCRAM-SHA-256"), 10000, 5, 20, 60, 2));
        assertThat(config.plugins().keySet()).containsExactly("disco", "ping", "version");
        assertThat(config.plugins().get("disco").enabled()).isTrue();
        assertThat(config.plugins().get("version").enabled()).isFalse();
        assertThat(config.plugins().get("version").options().get("show-os").booleanValue()).isTrue();
    }

    @Test
    void partlyGivenSectionsKeepTheOtherDefaults() {
        ServerConfig config = load(dir, """
                listeners:
                  c2s-plaintext: {enabled: true}
                  c2s-direct-tls: {address: "::"}
                """);

        assertThat(config.listeners().c2sPlaintext()).isEqualTo(new ServerConfig.Listener(true, "127.0.0.1", 5322));
        assertThat(config.listeners().c2sDirectTls()).isEqualTo(new ServerConfig.Listener(true, "::", 5223));
    }

    @Test
    void domainIsPrepared() {
        assertThat(load(dir, "server: {domain: Chat.Example.ORG}").server().domain()).isEqualTo("chat.example.org");
    }

    @Test
    void theShippedConfigurationLoadsAndEqualsTheDefaultsWithCoreFeatures() {
        ServerConfig config = ConfigLoader.load(Path.of("../../conf/tongyou.yml"), Map.of(), Map.of());

        ServerConfig defaults = ServerConfig.defaults();
        assertThat(config.server()).isEqualTo(defaults.server());
        assertThat(config.listeners()).isEqualTo(defaults.listeners());
        assertThat(config.tls()).isEqualTo(defaults.tls());
        assertThat(config.database()).isEqualTo(defaults.database());
        assertThat(config.stream()).isEqualTo(defaults.stream());
        assertThat(config.auth()).isEqualTo(defaults.auth());
        // every core plugin is listed, or one that needs another (disco needs the roster) would not start
        assertThat(config.plugins().keySet()).containsExactlyInAnyOrderElementsOf(
                im.tongyou.server.plugin.PluginManager.discover(getClass().getClassLoader()).keySet());
        assertThat(config.plugins().keySet()).contains("disco", "ping", "version", "time", "adhoc", "admin",
                "register", "muc", "upload", "roster", "presence", "blocking", "lastactivity");
        assertThat(config.plugins().values()).allMatch(PluginEntry::enabled);
        // The options written in the file are the plugins' own defaults.
        Path file = Path.of("../../conf/tongyou.yml");
        assertThat(ConfigLoader.bindPluginOptions(file, "register", config.plugins().get("register").options(),
                im.tongyou.server.feature.register.RegisterOptions.class)).isEqualTo(
                new im.tongyou.server.feature.register.RegisterOptions(null, null, null, null, null, null, null, null,
                        null, null, null, null));
        assertThat(ConfigLoader.bindPluginOptions(file, "adhoc", config.plugins().get("adhoc").options(),
                im.tongyou.server.feature.adhoc.AdHocPlugin.Options.class)).isEqualTo(
                new im.tongyou.server.feature.adhoc.AdHocPlugin.Options(null, null));
        assertThat(ConfigLoader.bindPluginOptions(file, "offline", config.plugins().get("offline").options(),
                im.tongyou.server.feature.offline.OfflinePlugin.Options.class))
                .isEqualTo(new im.tongyou.server.feature.offline.OfflinePlugin.Options(null, null));
        assertThat(ConfigLoader.bindPluginOptions(file, "privatestorage", config.plugins().get("privatestorage").options(),
                im.tongyou.server.feature.privatestorage.PrivateStoragePlugin.Options.class))
                .isEqualTo(new im.tongyou.server.feature.privatestorage.PrivateStoragePlugin.Options(null));
        assertThat(ConfigLoader.bindPluginOptions(file, "caps", config.plugins().get("caps").options(),
                im.tongyou.server.feature.caps.CapsPlugin.Options.class))
                .isEqualTo(new im.tongyou.server.feature.caps.CapsPlugin.Options(null, null, null, null));
        assertThat(ConfigLoader.bindPluginOptions(file, "vcard", config.plugins().get("vcard").options(),
                im.tongyou.server.feature.vcard.VCardPlugin.Options.class))
                .isEqualTo(new im.tongyou.server.feature.vcard.VCardPlugin.Options(null));
        assertThat(ConfigLoader.bindPluginOptions(file, "muc", config.plugins().get("muc").options(),
                im.tongyou.server.feature.muc.MucOptions.class)).isEqualTo(
                new im.tongyou.server.feature.muc.MucOptions(null, null, null, null, null, null, null, null, null, null,
                        null, null));
        assertThat(ConfigLoader.bindPluginOptions(file, "upload", config.plugins().get("upload").options(),
                im.tongyou.server.feature.upload.UploadOptions.class)).isEqualTo(
                new im.tongyou.server.feature.upload.UploadOptions(null, null, null, null, null, null));
    }

    @Test
    void missingExplicitFileIsAnError() {
        Path file = dir.resolve("nope.yml");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage(file + ": no such file");
    }

    @Test
    void directoryIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of(), Map.of()))
                .hasMessage(dir + ": is a directory, not a configuration file");
    }

    @Test
    void absentDefaultFileMeansDefaultsWithOverrides() {
        ServerConfig config = ConfigLoader.loadOrDefaults(dir.resolve("tongyou.yml"),
                Map.of("server.domain", "example.org"), Map.of("TONGYOU_LISTENERS_C2S_PORT", "15222"));

        assertThat(config.server().domain()).isEqualTo("example.org");
        assertThat(config.listeners().c2s().port()).isEqualTo(15222);
        assertThat(config.tls()).isEqualTo(ServerConfig.defaults().tls());
    }

    @Test
    void presentDefaultFileIsRead() {
        Path file = write(dir, "server: {domain: example.net}");

        assertThat(ConfigLoader.loadOrDefaults(file, Map.of(), Map.of()).server().domain()).isEqualTo("example.net");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        Path file = write(dir, "server:\n  domain: example.org\n  data-dir: [data\nlisteners:\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": YAML syntax error at line 4, column 10: while parsing a flow sequence");
    }

    @Test
    void badIndentationNamesTheLine() {
        Path file = write(dir, "server:\n  domain: example.org\n data-dir: data\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessageStartingWith(file + ": YAML syntax error at line 3");
    }

    @Test
    void duplicateKeyNamesTheLineAndKey() {
        Path file = write(dir, "server:\n  domain: a.org\n  domain: b.org\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": line 3: duplicate key 'server.domain'");
    }

    @Test
    void topLevelMustBeAMap() {
        Path file = write(dir, "- server\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": the file must be a map of sections (server:, listeners:, ...), not a list");
    }

    @Test
    void unknownTopLevelKeyIsSuggested() {
        Path file = write(dir, "servr:\n  domain: example.org\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": unknown key 'servr' (did you mean 'server'?)");
    }

    @Test
    void unknownKeyInSectionIsSuggested() {
        Path file = write(dir, "server:\n  domian: example.org\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": unknown key 'server.domian' (did you mean 'server.domain'?)");
    }

    @Test
    void unknownKeyTwoLevelsDownIsSuggested() {
        Path file = write(dir, "listeners:\n  c2s-direct-tls:\n    prot: 5223\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": unknown key 'listeners.c2s-direct-tls.prot' (did you mean 'listeners.c2s-direct-tls.port'?)");
    }

    @Test
    void unknownKeyFarFromAnyListsTheKnownKeys() {
        Path file = write(dir, "listeners:\n  websocket: {port: 8080}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": unknown key 'listeners.websocket' (known keys under 'listeners': c2s, c2s-direct-tls,"
                        + " c2s-plaintext, https)");
    }

    @Test
    void nearKeyIsSuggested() {
        Path file = write(dir, "listeners:\n  s2s: {port: 5269}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": unknown key 'listeners.s2s' (did you mean 'listeners.c2s'?)");
    }

    @Test
    void camelCaseKeyIsUnknown() {
        Path file = write(dir, "server:\n  dataDir: data\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": unknown key 'server.dataDir' (did you mean 'server.data-dir'?)");
    }

    @Test
    void quotedNumberIsNotCoerced() {
        Path file = write(dir, "listeners:\n  c2s: {port: \"5222\"}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": 'listeners.c2s.port' must be a number between 0 and 65535, not '5222'");
    }

    @Test
    void textForPortIsRejected() {
        Path file = write(dir, "listeners:\n  c2s:\n    port: abc\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": 'listeners.c2s.port' must be a number between 0 and 65535, not 'abc'");
    }

    @Test
    void fractionAndHugeNumbersAreRejected() {
        Path fraction = write(dir, "stream: {max-depth: 12.5}\n");
        assertThatThrownBy(() -> ConfigLoader.load(fraction, Map.of(), Map.of()))
                .hasMessage(fraction + ": 'stream.max-depth' must be a whole number, not '12.5'");

        Path huge = write(dir, "stream: {max-stanza-bytes: 99999999999}\n");
        assertThatThrownBy(() -> ConfigLoader.load(huge, Map.of(), Map.of()))
                .hasMessage(huge + ": 'stream.max-stanza-bytes' must be a whole number, not '99999999999'");
    }

    @Test
    void yesIsNotABoolean() {
        Path file = write(dir, "listeners:\n  c2s: {enabled: yes}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessage(file + ": 'listeners.c2s.enabled' must be true or false, not 'yes'");
    }

    @Test
    void wrongShapesAreRejected() {
        Path scalarSection = write(dir, "server: example.org\n");
        assertThatThrownBy(() -> ConfigLoader.load(scalarSection, Map.of(), Map.of()))
                .hasMessage(scalarSection + ": 'server' must be a map of keys, not 'example.org'");

        Path scalarList = write(dir, "server: {admin-jids: admin@example.org}\n");
        assertThatThrownBy(() -> ConfigLoader.load(scalarList, Map.of(), Map.of()))
                .hasMessage(scalarList + ": 'server.admin-jids' must be a list, such as [a, b], not 'admin@example.org'");

        Path mapValue = write(dir, "server: {domain: {name: x}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(mapValue, Map.of(), Map.of()))
                .hasMessage(mapValue + ": 'server.domain' must be a single value, not a map");

        Path pluginValue = write(dir, "plugins: {ping: yes}\n");
        assertThatThrownBy(() -> ConfigLoader.load(pluginValue, Map.of(), Map.of()))
                .hasMessage(pluginValue + ": 'plugins.ping' must be a map of options (or empty), not 'yes'");

        Path pluginEnabled = write(dir, "plugins: {ping: {enabled: 1}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(pluginEnabled, Map.of(), Map.of()))
                .hasMessage(pluginEnabled + ": 'plugins.ping.enabled' must be true or false, not '1'");
    }

    @Test
    void numbersAreAcceptedAsText() {
        assertThat(load(dir, "database: {password: 123456}").database().password()).isEqualTo("123456");
    }
}
