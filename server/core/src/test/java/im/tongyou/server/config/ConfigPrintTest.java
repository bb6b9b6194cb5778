package im.tongyou.server.config;

import static im.tongyou.server.config.ConfigFiles.map;
import static im.tongyou.server.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrintTest {

    @TempDir
    Path dir;

    @Test
    void printedDefaultsLoadBackToTheSameConfiguration() {
        ServerConfig defaults = ServerConfig.defaults();
        String yaml = ConfigLoader.toYaml(defaults);

        assertThat(yaml).contains("domain: localhost", "data-dir: data", "c2s-direct-tls:", "port: 5223",
                "max-stanza-bytes: 262144", "- SCRAM-SHA-256", "plugins: {}");
        assertThat(ConfigLoader.load(write(dir, yaml), Map.of(), Map.of())).isEqualTo(defaults);
    }

    @Test
    void printedFullConfigurationLoadsBack() {
        ServerConfig config = ConfigLoader.load(Path.of("../../conf/tongyou.yml"),
                map("server.admin-jids", "a@localhost", "tls.certificate", "c.pem", "tls.private-key", "k.pem",
                        "database.username", "123"), Map.of());

        assertThat(ConfigLoader.load(write(dir, ConfigLoader.toYaml(config)), Map.of(), Map.of())).isEqualTo(config);
    }

    @Test
    void secretsAreMasked() {
        ServerConfig config = ConfigLoader.load(write(dir, """
                database:
                  url: jdbc:postgresql://db/tongyou?user=t&password=hunter2
                  password: hunter2
                plugins:
                  sms: {api-token: abc, gateway: {password: pw}, sender: Tongyou}
                """), Map.of(), Map.of("TONGYOU_PLUGINS_SMS_SECRET_KEY", "s3"));

        String yaml = ConfigLoader.toYaml(config);

        assertThat(yaml).doesNotContain("hunter2", "abc", "pw", "s3")
                .contains("password: '********'", "url: jdbc:postgresql://db/tongyou?user=t&password=********",
                        "api-token: '********'", "secret-key: '********'", "sender: Tongyou");
    }

    @Test
    void overriddenPluginOptionsArePrintedWithTheirLikelyType() {
        ServerConfig config = ConfigLoader.load(write(dir, "plugins: {version: {}}"),
                map("plugins.version.show-os", "true", "plugins.version.level", "3", "plugins.version.name", "x"), Map.of());

        assertThat(ConfigLoader.toYaml(config)).contains("show-os: true", "level: 3", "name: x");
    }
}
