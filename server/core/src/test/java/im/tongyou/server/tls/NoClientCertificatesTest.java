package im.tongyou.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's trust managers refuse every certificate rather than accept one (they are never meant to be asked). */
class NoClientCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void everyCertificateIsRefusedAndNoIssuerIsNamed() throws Exception {
        X509Certificate own = TlsContextFactory.create(null, null, List.of("TLSv1.3"), dir, "xmpp.example").certificate();
        TrustManager[] managers = NoClientCertificates.FACTORY.getTrustManagers();
        assertThat(managers).hasSize(1);
        X509TrustManager manager = (X509TrustManager) managers[0];

        assertThatThrownBy(() -> manager.checkClientTrusted(new X509Certificate[] {own}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("not accepted");
        assertThatThrownBy(() -> manager.checkServerTrusted(new X509Certificate[] {own}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(manager.getAcceptedIssuers()).isEmpty();
    }
}
