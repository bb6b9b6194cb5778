package im.tongyou.server.tls;

import static im.tongyou.server.tls.TlsTestSupport.certificate;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK reads the plain PEM files itself and leaves every other file to Bouncy Castle's parser. */
class JdkPemTest {

    @TempDir
    Path dir;

    @Test
    void aChainOfCertificatesAndAPkcs8KeyAreReadAsBouncyCastleReadsThem() throws Exception {
        KeyPair caKeys = TlsTestSupport.ecKeys();
        KeyPair leafKeys = TlsTestSupport.rsaKeys();
        X509Certificate ca = certificate("Test CA", caKeys.getPublic(), "Test CA", caKeys.getPrivate(), null);
        X509Certificate leaf = certificate("xmpp.example", leafKeys.getPublic(), "Test CA", caKeys.getPrivate(),
                "xmpp.example");
        Path chain = TlsTestSupport.writeTraditional(dir.resolve("chain.pem"), leaf, ca);
        Path key = TlsTestSupport.writePkcs8(dir.resolve("key.pem"), leafKeys.getPrivate());

        assertThat(JdkPem.certificates(chain)).containsExactly(leaf, ca).isEqualTo(BcPem.readCertificates(chain));
        assertThat(JdkPem.privateKey(key)).isEqualTo(leafKeys.getPrivate()).isEqualTo(BcPem.readPrivateKey(key));
        assertThat(JdkPem.privateKey(TlsTestSupport.writePkcs8(dir.resolve("ec.pem"), caKeys.getPrivate())))
                .isEqualTo(caKeys.getPrivate());
    }

    @Test
    void everyOtherFileIsLeftToBouncyCastle() throws Exception {
        KeyPair keys = TlsTestSupport.ecKeys();
        X509Certificate leaf = certificate("xmpp.example", keys.getPublic(), "xmpp.example", keys.getPrivate(),
                "xmpp.example");
        Path sec1 = TlsTestSupport.writeSec1(dir.resolve("sec1.pem"), keys.getPrivate());
        Path both = TlsTestSupport.writeTraditional(dir.resolve("both.pem"), leaf);
        Files.writeString(both, Files.readString(both) + Files.readString(TlsTestSupport.writePkcs8(
                dir.resolve("k.pem"), keys.getPrivate())));
        Path damaged = dir.resolve("damaged.pem");
        Files.writeString(damaged, "-----BEGIN CERTIFICATE-----\nMIIB!!!\n-----END CERTIFICATE-----\n");

        assertThat(JdkPem.privateKey(sec1)).isNull();
        assertThat(JdkPem.certificates(both)).isNull();
        assertThat(JdkPem.privateKey(both)).isNull();
        assertThat(JdkPem.certificates(damaged)).isNull();
        assertThat(JdkPem.certificates(dir.resolve("missing.pem"))).isNull();
        assertThat(BcPem.readCertificates(both)).containsExactly(leaf);
        assertThat(BcPem.readPrivateKey(both)).isEqualTo(keys.getPrivate());
    }
}
