package im.tongyou.server.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and its certificate chain, leaf first, as a TLS server presents them
 * (<a href="https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2">RFC 8446 §4.4.2</a>).
 *
 * @param privateKey the leaf's private key
 * @param chain      the certificates, leaf first, never empty
 */
record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {

    KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
    }

    X509Certificate leaf() {
        return chain.get(0);
    }
}
