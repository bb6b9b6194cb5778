package im.tongyou.server.config;

import static im.tongyou.server.config.ConfigFiles.load;
import static im.tongyou.server.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValidatorTest {

    @TempDir
    Path dir;

    private void assertRejected(String yaml, String message) {
        Path file = write(dir, yaml);
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": " + message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.org:5222    | must be a domain without a port (ports are set under 'listeners'), not 'example.org:5222'",
        "admin@example.org   | must be a domain only, without a user or resource part, not 'admin@example.org'",
        "example.org/chat    | must be a domain only, without a user or resource part, not 'example.org/chat'",
        "https://example.org | must be a domain name, not a URL, not 'https://example.org'",
        "example.org.        | must be written without the trailing dot, not 'example.org.'",
        "ex_ample.org        | must be a valid XMPP domain (RFC 7622 §3.2), not 'ex_ample.org' (Contains non-LDH characters.)",
        "-example.org        | must be a valid XMPP domain (RFC 7622 §3.2), not '-example.org' (Leading or trailing hyphen not allowed.)",
        "''                  | must be a domain name such as example.org, not ''",
    })
    void badDomainsAreRejected(String domain, String message) {
        assertRejected("server: {domain: \"" + domain.replace("''", "") + "\"}\n", "'server.domain' " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "127.0.0.1", "xn--mnchen-3ya.de", "localhost"})
    void goodDomainsAreAccepted(String domain) {
        assertThat(load(dir, "server: {domain: " + domain + "}").server().domain()).isEqualTo(domain);
    }

    @Test
    void internationalDomainIsPreparedToItsAsciiForm() {
        assertThat(load(dir, "server: {domain: münchen.de}").server().domain()).isEqualTo("xn--mnchen-3ya.de");
    }

    @Test
    void adminJidsMustBeBareAccountJids() {
        assertRejected("server: {admin-jids: [a@example.org, example.org]}",
                "'server.admin-jids[1]' must be a bare JID such as admin@example.org, not 'example.org'");
        assertRejected("server: {admin-jids: [a@example.org/phone]}",
                "'server.admin-jids[0]' must be a bare JID such as admin@example.org, not 'a@example.org/phone'");
        assertRejected("server: {admin-jids: ['a b@example.org']}",
                "'server.admin-jids[0]' must be a bare JID such as admin@example.org, not 'a b@example.org'");
    }

    @Test
    void portsMustBeInRange() {
        assertRejected("listeners: {c2s-direct-tls: {port: 65536}}",
                "'listeners.c2s-direct-tls.port' must be a number between 0 and 65535, not '65536'");
        assertRejected("listeners: {c2s: {port: -1}}",
                "'listeners.c2s.port' must be a number between 0 and 65535, not '-1'");
        assertThat(load(dir, "listeners: {c2s: {port: 0}, c2s-direct-tls: {port: 65535}}").listeners().c2s().port()).isZero();
    }

    @Test
    void addressesMustBeIpLiterals() {
        assertRejected("listeners: {c2s: {address: example.org}}",
                "'listeners.c2s.address' must be an IP address such as 0.0.0.0, :: or 127.0.0.1, not 'example.org'");
        assertRejected("listeners: {c2s: {address: 1.2.3}}",
                "'listeners.c2s.address' must be an IP address such as 0.0.0.0, :: or 127.0.0.1, not '1.2.3'");
    }

    @Test
    void twoListenersCannotShareAPort() {
        assertRejected("listeners: {c2s-direct-tls: {port: 5222}}",
                "'listeners.c2s-direct-tls.port' 5222 is already used by 'listeners.c2s'");
        assertThat(load(dir, "listeners: {c2s: {port: 0}, c2s-direct-tls: {port: 0}}").listeners().c2s().port()).isZero();
        assertThat(load(dir, "listeners: {c2s-direct-tls: {port: 5222, enabled: false}}").listeners().c2sDirectTls().port())
                .isEqualTo(5222);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.168.1.10", "::", "10.0.0.1"})
    void plaintextListenerIsLoopbackOnly(String address) {
        assertRejected("listeners: {c2s-plaintext: {enabled: true, address: \"" + address + "\"}}",
                "'listeners.c2s-plaintext.address' must be a loopback address (127.0.0.0/8 or ::1), not '" + address
                        + "': the plaintext listener exists only for loopback benchmarks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]"})
    void plaintextListenerOnLoopbackIsAccepted(String address) {
        ServerConfig config = load(dir, "listeners: {c2s-plaintext: {enabled: true, address: \"" + address + "\"}}");
        assertThat(config.listeners().c2sPlaintext().enabled()).isTrue();
    }

    @Test
    void disabledPlaintextListenerIsNotChecked() {
        assertThat(load(dir, "listeners: {c2s-plaintext: {enabled: false, address: 0.0.0.0}}")
                .listeners().c2sPlaintext().address()).isEqualTo("0.0.0.0");
    }

    @Test
    void tlsProtocolsAreLimited() {
        assertRejected("tls: {protocols: [TLSv1.3, TLSv1.1]}",
                "'tls.protocols[1]' must be one of TLSv1.3, TLSv1.2, not 'TLSv1.1'");
        assertRejected("tls: {protocols: []}", "'tls.protocols' must list at least one of TLSv1.3, TLSv1.2");
        assertRejected("tls: {protocols: [TLSv1.2, TLSv1.2]}", "'tls.protocols' lists 'TLSv1.2' twice");
    }

    @Test
    void certificateAndKeyComeTogether() {
        assertRejected("tls: {certificate: cert.pem}", "'tls.certificate' is set but 'tls.private-key' is not:"
                + " give both, or neither to use a generated self-signed certificate");
        assertRejected("tls: {private-key: key.pem}", "'tls.private-key' is set but 'tls.certificate' is not:"
                + " give both, or neither to use a generated self-signed certificate");
    }

    @Test
    void authMechanismsAreLimited() {
        assertRejected("auth: {mechanisms: [DIGEST-MD5]}",
                "'auth.mechanisms[0]' must be one of SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, not 'DIGEST-MD5'");
        assertRejected("auth: {mechanisms: []}",
                "'auth.mechanisms' must list at least one of SCRAM-SHA-256, SCRAM-SHA-1, PLAIN");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth: {scram-iterations: 4095}                | 'auth.scram-iterations' must be at least 4096 (RFC 7677 §4), not '4095'",
        "auth: {max-failures-per-account: 0}           | 'auth.max-failures-per-account' must be at least 1, not '0'",
        "auth: {max-failures-per-address: 0}           | 'auth.max-failures-per-address' must be at least 1, not '0'",
        "auth: {failure-window-seconds: 0}             | 'auth.failure-window-seconds' must be at least 1, not '0'",
        "auth: {max-failures-per-stream: 0}            | 'auth.max-failures-per-stream' must be at least 1, not '0'",
        "stream: {max-stanza-bytes: 9999}              | 'stream.max-stanza-bytes' must be at least 10000 (RFC 6120 §13.12: a server must accept stanzas of at least 10000 bytes), not '9999'",
        "stream: {max-depth: 7}                        | 'stream.max-depth' must be at least 8, not '7'",
        "stream: {negotiation-timeout-seconds: 0}      | 'stream.negotiation-timeout-seconds' must be at least 1, not '0'",
        "stream: {idle-timeout-seconds: -5}            | 'stream.idle-timeout-seconds' must be at least 1, not '-5'",
        "database: {max-pool-size: 0}                  | 'database.max-pool-size' must be at least 1, not '0'",
    })
    void limitsHaveMinimums(String yaml, String message) {
        assertRejected(yaml, message);
    }

    @Test
    void databaseUrlMustBeH2OrPostgresql() {
        assertRejected("database: {url: 'jdbc:mysql://db/tongyou?user=x&password=secret'}",
                "'database.url' must start with jdbc:h2: or jdbc:postgresql: (or be empty for the embedded database),"
                        + " not 'jdbc:mysql://db/tongyou?user=x&password=****'");
        assertThat(load(dir, "database: {url: 'jdbc:h2:mem:test'}").database().url()).isEqualTo("jdbc:h2:mem:test");
        assertThat(load(dir, "database: {url: 'jdbc:postgresql://db/t'}").database().url()).startsWith("jdbc:postgresql:");
    }

    @Test
    void pluginIdsAreLowercaseWords() {
        assertRejected("plugins: {Mall: {}}", "'plugins.Mall': a plugin id is lowercase letters, digits and '-',"
                + " starting with a letter");
        assertRejected("plugins: {2fa: {}}", "'plugins.2fa': a plugin id is lowercase letters, digits and '-',"
                + " starting with a letter");
        assertThat(load(dir, "plugins: {invite-codes2: {}}").plugins()).containsKey("invite-codes2");
    }
}
