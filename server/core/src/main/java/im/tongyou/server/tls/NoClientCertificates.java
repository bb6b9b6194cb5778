package im.tongyou.server.tls;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The server's trust managers: it trusts no client certificate. Clients are not asked for one
 * (client authentication is off), and RFC 6120 §13.8 leaves certificate logins to SASL EXTERNAL,
 * which is not offered; should a certificate ever reach these managers, it is refused, not accepted.
 */
final class NoClientCertificates extends SimpleTrustManagerFactory {

    static final NoClientCertificates FACTORY = new NoClientCertificates();

    private static final X509TrustManager REFUSE = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this server trusts no server certificate");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private NoClientCertificates() {
    }

    @Override
    protected void engineInit(KeyStore keyStore) {
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {REFUSE};
    }
}
