package im.tongyou.server.tls;

import im.tongyou.server.config.ServerConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's TLS context from the configured PEM files, or from a self-signed certificate
 * generated on first start, allowing TLS 1.2 and 1.3 only
 * (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-13.8">RFC 6120 §13.8</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc9325#section-3.1">RFC 9325 §3.1</a>).
 *
 * <p>It reads and may write files: call it once at start, never on an event loop.
 */
public final class TlsContextFactory {

    /** The protocol versions that may be enabled. */
    public static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * AEAD suites with forward secrecy, per RFC 9325 §4.2; TLS 1.3 suites first. Suites the provider
     * lacks are left out by {@link SupportedCipherSuiteFilter}.
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextFactory.class);

    private TlsContextFactory() {
    }

    /** {@link #create(Path, Path, List, Path, String)} from the typed configuration. */
    public static ServerTlsContext create(ServerConfig.Tls tls, ServerConfig.Server server) throws IOException {
        return create(tls.certificate(), tls.privateKey(), tls.protocols(), server.dataDir(), server.domain());
    }

    /**
     * Builds the server context.
     *
     * @param certificateChain PEM file with the chain, leaf first; {@code null} for a self-signed one
     * @param privateKey       PEM file with the leaf's key (PKCS#8, PKCS#1 RSA or SEC1 EC); {@code null}
     *                         exactly when {@code certificateChain} is
     * @param protocols        enabled versions, each {@code TLSv1.2} or {@code TLSv1.3}
     * @param dataDir          where a generated certificate is kept, under {@code tls/}
     * @param domain           the XMPP domain a generated certificate names
     * @throws IllegalArgumentException for a protocol other than TLS 1.2 or 1.3 (named in the
     *                                  message), one file without the other, or an unusable domain
     * @throws IOException              if a file is missing or unreadable, holds no usable PEM, or the
     *                                  key does not belong to the certificate; the message names the file
     */
    public static ServerTlsContext create(Path certificateChain, Path privateKey, List<String> protocols, Path dataDir,
                                         String domain) throws IOException {
        List<String> enabled = checkProtocols(protocols);
        if ((certificateChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("tls.certificate and tls.private-key must be given together");
        }
        KeyMaterial material;
        CertificateSource source;
        if (certificateChain != null) {
            material = new KeyMaterial(PemFiles.readPrivateKey(privateKey), PemFiles.readCertificates(certificateChain));
            source = CertificateSource.CONFIGURED;
            if (material.leaf().getNotAfter().toInstant().isBefore(Instant.now())) {
                LOG.warn("The TLS certificate in {} expired on {}; clients will refuse it", certificateChain,
                        material.leaf().getNotAfter().toInstant());
            }
            checkKeyMatches(material, "the private key in " + privateKey + " does not belong to the first certificate in "
                    + certificateChain);
        } else {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(domain, "domain");
            SelfSignedCertificates.Loaded loaded = SelfSignedCertificates.loadOrGenerate(dataDir, domain);
            material = loaded.material();
            source = loaded.source();
            checkKeyMatches(material, "the generated key and certificate under " + dataDir.resolve("tls")
                    + " do not match; delete both files to generate new ones");
        }
        KeyStore keyStore = keyStore(material);
        SslContext context = build(keyStore, enabled);
        LOG.info("TLS ready: {} through {} with {} certificate for {} (expires {})", enabled,
                OpenSsl.isAvailable() ? OpenSsl.versionString() : "the JDK's TLS", source,
                material.leaf().getSubjectX500Principal().getName(), material.leaf().getNotAfter().toInstant());
        return new ServerTlsContext(context, material.chain(), enabled, source, keyStore);
    }

    /**
     * The key and chain as an in-memory PKCS#12 key store, for Jetty. The store is never written, so
     * its key is wrapped with a single round of PBKDF2: the default 10,000 rounds were run three
     * times per start (here, by the key manager below and by Jetty's), and made the JIT compile
     * PBKDF2 with C2, together about a second of CPU of every start on 2 cores.
     */
    private static KeyStore keyStore(KeyMaterial material) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            store.setEntry("tongyou", new KeyStore.PrivateKeyEntry(material.privateKey(),
                    material.chain().toArray(new X509Certificate[0])), new KeyStore.PasswordProtection(
                    ServerTlsContext.KEY_PASSWORD, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(salt, 1)));
            return store;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot hold the TLS key in a key store: " + e.getMessage(), e);
        }
    }

    /** Checks and de-duplicates protocol names, keeping their order. */
    static List<String> checkProtocols(List<String> protocols) {
        if (protocols == null || protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS protocol must be enabled: " + ALLOWED_PROTOCOLS);
        }
        for (String protocol : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("unsupported TLS protocol '" + protocol + "'; allowed: "
                        + ALLOWED_PROTOCOLS);
            }
        }
        return List.copyOf(new LinkedHashSet<>(protocols));
    }

    private static SslContext build(KeyStore keyStore, List<String> protocols) throws IOException {
        try {
            // Our own key manager over the one-round key store (see keyStore above): given the key and
            // chain instead, Netty builds its own store with the default 10,000 rounds, and with no trust
            // managers it loads the JDK's CA list; together about 0.1 s of CPU of every start.
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, ServerTlsContext.KEY_PASSWORD);
            // BoringSSL when netty-tcnative loads (the distribution ships it): per STARTTLS session it used
            // less memory, and per handshake less CPU, than the JDK's TLS; loading it adds about 0.4 s to
            // a start on 2 cores (docs/benchmarks.md, "The server's TLS: BoringSSL").
            if (OpenSsl.isAvailable()) {
                // The caching factory converts the key and chain to BoringSSL's form once, not per handshake.
                return SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(keys))
                        .trustManager(NoClientCertificates.FACTORY)
                        .sslProvider(SslProvider.OPENSSL)
                        .protocols(protocols)
                        .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                        .clientAuth(ClientAuth.NONE)
                        .build();
            }
            // The JDK's own SSLContext, wrapped: SslContextBuilder's JDK server context first runs a
            // self-test that loads and registers all of Bouncy Castle's provider (post-quantum
            // algorithms included, from a signed jar that class data sharing cannot archive), about a
            // second of every start on a busy 2-core machine.
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(keys.getKeyManagers(), NoClientCertificates.FACTORY.getTrustManagers(), null);
            return new JdkSslContext(jdk, false, CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, protocols.toArray(new String[0]), false);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /** Signs with the key and verifies with the leaf's public key, to fail at start rather than at every handshake. */
    private static void checkKeyMatches(KeyMaterial material, String message) throws IOException {
        PrivateKey key = material.privateKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "tongyou key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(material.leaf().getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IOException(message);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(message + " (" + e.getMessage() + ")", e);
        }
    }
}
