package im.tongyou.server.tls;

import io.netty.handler.ssl.SslContext;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's TLS context and the certificates it presents
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-5">RFC 6120 §5</a> for STARTTLS,
 * <a href="https://xmpp.org/extensions/xep-0368.html">XEP-0368</a> for direct TLS). Build one at
 * start with {@link TlsContextFactory} and share it: an {@link SslContext} is thread-safe, and
 * {@code sslContext().newHandler(channel.alloc())} gives each connection its own handler.
 *
 * @param sslContext the Netty server context
 * @param chain      the certificate chain presented, leaf first
 * @param protocols  the enabled protocol versions
 * @param source     where the certificate came from
 * @param keyStore   the key and chain as an in-memory PKCS#12 store (password {@link #KEY_PASSWORD}),
 *                   for the HTTPS listener
 */
public record ServerTlsContext(SslContext sslContext, List<X509Certificate> chain, List<String> protocols,
                               CertificateSource source, KeyStore keyStore) {

    /** The password of the in-memory key store; it never leaves the process. */
    public static final char[] KEY_PASSWORD = "tongyou".toCharArray();

    public ServerTlsContext {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(source, "source");
        chain = List.copyOf(chain);
        protocols = List.copyOf(protocols);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain needs at least the leaf certificate");
        }
    }

    /** The leaf certificate; test clients trust exactly this one. */
    public X509Certificate certificate() {
        return chain.get(0);
    }
}
