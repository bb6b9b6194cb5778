package im.tongyou.server.tls;

import static im.tongyou.server.tls.TlsTestSupport.certificate;
import static im.tongyou.server.tls.TlsTestSupport.client;
import static im.tongyou.server.tls.TlsTestSupport.handshake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextFactoryTest {

    private static final List<String> BOTH = List.of("TLSv1.3", "TLSv1.2");

    @TempDir
    Path dir;

    @Test
    void aConfiguredEcKeyInSec1FormIsUsedAsIs() throws Exception {
        KeyPair keys = TlsTestSupport.ecKeys();
        X509Certificate leaf = certificate("xmpp.example", keys.getPublic(), "xmpp.example", keys.getPrivate(),
                "xmpp.example");
        Path certificateFile = TlsTestSupport.writeTraditional(dir.resolve("cert.pem"), leaf);
        Path keyFile = TlsTestSupport.writeSec1(dir.resolve("key.pem"), keys.getPrivate());
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        ServerTlsContext tls = TlsContextFactory.create(certificateFile, keyFile, BOTH, dir, "ignored.example");

        assertThat(tls.source()).isEqualTo(CertificateSource.CONFIGURED);
        assertThat(tls.certificate()).isEqualTo(leaf);
        assertThat(handshake(tls.sslContext(), client(leaf, "TLSv1.3"), "xmpp.example").succeeded()).isTrue();
        assertThat(Files.exists(dir.resolve("tls"))).isFalse();
    }

    @Test
    void aConfiguredRsaKeyInPkcs1FormWithAChainIsUsedAsIs() throws Exception {
        KeyPair caKeys = TlsTestSupport.rsaKeys();
        KeyPair leafKeys = TlsTestSupport.rsaKeys();
        X509Certificate ca = certificate("Test CA", caKeys.getPublic(), "Test CA", caKeys.getPrivate(), null);
        X509Certificate leaf = certificate("xmpp.example", leafKeys.getPublic(), "Test CA", caKeys.getPrivate(),
                "xmpp.example");
        Path certificateFile = TlsTestSupport.writeTraditional(dir.resolve("chain.pem"), leaf, ca);
        Path keyFile = TlsTestSupport.writeTraditional(dir.resolve("key.pem"), leafKeys.getPrivate());
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        ServerTlsContext tls = TlsContextFactory.create(certificateFile, keyFile, List.of("TLSv1.2"), dir, "x");

        assertThat(tls.chain()).containsExactly(leaf, ca);
        TlsTestSupport.Handshake handshake = handshake(tls.sslContext(), client(ca, "TLSv1.2"), "xmpp.example");
        assertThat(handshake.succeeded()).isTrue();
        assertThat(handshake.protocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void aSec1KeyWithoutItsCurveTakesItFromAnEcParametersBlock() throws Exception {
        KeyPair keys = TlsTestSupport.ecKeys();
        X509Certificate leaf = certificate("a", keys.getPublic(), "a", keys.getPrivate(), "xmpp.example");
        Path certificateFile = TlsTestSupport.writeTraditional(dir.resolve("cert.pem"), leaf);
        // BouncyCastle's writer leaves the curve out of the key, as SEC1 allows.
        Path bare = TlsTestSupport.writeTraditional(dir.resolve("bare.pem"), keys.getPrivate());
        Path withParameters = Files.writeString(dir.resolve("key.pem"), "-----BEGIN EC PARAMETERS-----\n"
                + "BggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + Files.readString(bare));

        assertThatThrownBy(() -> TlsContextFactory.create(certificateFile, bare, BOTH, dir, "x"))
                .hasMessageContaining(bare.toString());
        assertThat(TlsContextFactory.create(certificateFile, withParameters, BOTH, dir, "x").certificate())
                .isEqualTo(leaf);
    }

    @Test
    void aConfiguredKeyInPkcs8FormIsAccepted() throws Exception {
        KeyPair keys = TlsTestSupport.ecKeys();
        X509Certificate leaf = certificate("a", keys.getPublic(), "a", keys.getPrivate(), "xmpp.example");
        Path certificateFile = TlsTestSupport.writeTraditional(dir.resolve("cert.pem"), leaf);
        Path keyFile = TlsTestSupport.writePkcs8(dir.resolve("key.pem"), keys.getPrivate());

        assertThat(TlsContextFactory.create(certificateFile, keyFile, BOTH, dir, "x").certificate()).isEqualTo(leaf);
    }

    @Test
    void aMissingKeyFileIsNamed() throws Exception {
        KeyPair keys = TlsTestSupport.ecKeys();
        Path certificateFile = TlsTestSupport.writeTraditional(dir.resolve("cert.pem"),
                certificate("a", keys.getPublic(), "a", keys.getPrivate(), "a"));
        Path missing = dir.resolve("nowhere/key.pem");

        assertThatThrownBy(() -> TlsContextFactory.create(certificateFile, missing, BOTH, dir, "x"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("private key file does not exist");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        KeyPair keys = TlsTestSupport.ecKeys();
        Path certificateFile = TlsTestSupport.writeTraditional(dir.resolve("cert.pem"),
                certificate("a", keys.getPublic(), "a", keys.getPrivate(), "a"));
        Path otherKey = TlsTestSupport.writePkcs8(dir.resolve("other.pem"), TlsTestSupport.ecKeys().getPrivate());

        assertThatThrownBy(() -> TlsContextFactory.create(certificateFile, otherKey, BOTH, dir, "x"))
                .hasMessageContaining("does not belong").hasMessageContaining(otherKey.toString());
    }

    @Test
    void filesWithoutPemContentAreNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not pem\n");

        assertThatThrownBy(() -> TlsContextFactory.create(empty, empty, BOTH, dir, "x"))
                .hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> TlsContextFactory.create(empty, null, BOTH, dir, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTls12And13AreAccepted() {
        for (String bad : new String[] {"TLSv1.1", "TLSv1", "SSLv3", "tlsv1.3", "TLSv1.4"}) {
            assertThatThrownBy(() -> TlsContextFactory.create(null, null, List.of("TLSv1.3", bad), dir, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> TlsContextFactory.create(null, null, List.of(), dir, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TlsContextFactory.checkProtocols(List.of("TLSv1.2", "TLSv1.3", "TLSv1.2")))
                .containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void theKeyFileOfAGeneratedCertificateIsPrivate() throws Exception {
        TlsContextFactory.create(null, null, BOTH, dir, "xmpp.example");

        Path key = dir.resolve("tls/xmpp.example.key");
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void handshakesSucceedWithTls13AndTls12AndCheckTheHostName() throws Exception {
        ServerTlsContext tls = TlsContextFactory.create(null, null, BOTH, dir, "xmpp.example");

        TlsTestSupport.Handshake v13 = handshake(tls.sslContext(), client(tls.certificate(), "TLSv1.3"), "xmpp.example");
        TlsTestSupport.Handshake v12 = handshake(tls.sslContext(), client(tls.certificate(), "TLSv1.2"), "xmpp.example");
        TlsTestSupport.Handshake wrongHost = handshake(tls.sslContext(), client(tls.certificate(), "TLSv1.3"),
                "other.example");

        assertThat(v13.succeeded()).isTrue();
        assertThat(v13.protocol()).isEqualTo("TLSv1.3");
        assertThat(v12.succeeded()).isTrue();
        assertThat(v12.protocol()).isEqualTo("TLSv1.2");
        assertThat(v12.server().engine().getSession().getCipherSuite()).isEqualTo(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(wrongHost.succeeded()).isFalse();
    }

    @Test
    void aServerLimitedToTls13RefusesATls12Client() throws Exception {
        ServerTlsContext tls = TlsContextFactory.create(null, null, List.of("TLSv1.3"), dir, "xmpp.example");

        assertThat(handshake(tls.sslContext(), client(tls.certificate(), "TLSv1.2"), "xmpp.example").succeeded())
                .isFalse();
    }

    @Test
    void aClientLimitedToTls11Fails() throws Exception {
        ServerTlsContext tls = TlsContextFactory.create(null, null, BOTH, dir, "xmpp.example");

        TlsTestSupport.Handshake handshake = handshake(tls.sslContext(), client(tls.certificate(), "TLSv1.1"),
                "xmpp.example");

        assertThat(handshake.succeeded()).isFalse();
        assertThat(handshake.client().handshakeFuture().cause()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theServerAnswersATls11ClientHelloWithAProtocolVersionAlert() throws Exception {
        // The JDK client cannot even send TLS 1.1 any more, so send the ClientHello by hand.
        ServerTlsContext tls = TlsContextFactory.create(null, null, BOTH, dir, "xmpp.example");

        TlsTestSupport.Handshake handshake = TlsTestSupport.feedServer(tls.sslContext(), Tls11ClientHello.bytes());

        assertThat(handshake.server().handshakeFuture().cause()).isInstanceOf(SSLHandshakeException.class);
        byte[] answer = new byte[handshake.serverOutput().readableBytes()];
        handshake.serverOutput().readBytes(answer);
        // An alert record (21) whose last byte is protocol_version (70), RFC 8446 §6.
        assertThat(answer).hasSizeGreaterThanOrEqualTo(7);
        assertThat(answer[0]).isEqualTo((byte) 21);
        assertThat(answer[answer.length - 1]).isEqualTo((byte) 70);
    }
}
