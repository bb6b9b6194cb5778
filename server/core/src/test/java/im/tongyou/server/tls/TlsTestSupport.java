package im.tongyou.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Test keys, certificates, PEM files and in-memory TLS handshakes. */
final class TlsTestSupport {

    private TlsTestSupport() {
    }

    static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A certificate for {@code subjectKey}, signed by {@code issuerKey}; a CA if {@code dnsName} is null. */
    static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, PrivateKey issuerKey,
                                       String dnsName) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + subject), subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(dnsName == null));
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    /** Writes objects the way OpenSSL does: keys as PKCS#1 (RSA) or SEC1 (EC), certificates as CERTIFICATE. */
    static Path writeTraditional(Path file, Object... objects) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        return Files.writeString(file, pem.toString());
    }

    /** Writes an EC key as SEC1 with the curve inside, as {@code openssl ec} does (RFC 5915 §3). */
    static Path writeSec1(Path file, PrivateKey key) throws IOException {
        ECPrivateKey ec = (ECPrivateKey) key;
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(),
                SECObjectIdentifiers.secp256r1);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return Files.writeString(file, pem.toString());
    }

    /** Writes a key as PKCS#8. */
    static Path writePkcs8(Path file, PrivateKey key) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        }
        return Files.writeString(file, pem.toString());
    }

    static SslContext client(X509Certificate trusted, String... protocols) throws IOException {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(trusted)
                .protocols(protocols)
                .build();
    }

    /** The outcome of an in-memory handshake. */
    record Handshake(SslHandler client, SslHandler server, ByteBuf serverOutput) {
        boolean succeeded() {
            return client.handshakeFuture().isSuccess() && server.handshakeFuture().isSuccess();
        }

        String protocol() {
            return server.engine().getSession().getProtocol();
        }
    }

    /** Runs a handshake between two embedded channels, relaying bytes until neither side has more. */
    static Handshake handshake(SslContext server, SslContext client, String host) {
        SslHandler serverHandler = server.newHandler(ByteBufAllocator.DEFAULT);
        SslHandler clientHandler = client.newHandler(ByteBufAllocator.DEFAULT, host, 5223);
        EmbeddedChannel serverChannel = new EmbeddedChannel(serverHandler);
        EmbeddedChannel clientChannel = new EmbeddedChannel(clientHandler);
        ByteBuf serverOutput = Unpooled.buffer();
        try {
            boolean moved = true;
            while (moved) {
                moved = drain(clientChannel, serverChannel, null) | drain(serverChannel, clientChannel, serverOutput);
            }
        } finally {
            close(serverChannel);
            close(clientChannel);
        }
        return new Handshake(clientHandler, serverHandler, serverOutput);
    }

    /** Feeds raw bytes to a server handler and returns what it answers. */
    static Handshake feedServer(SslContext server, byte[] input) {
        SslHandler serverHandler = server.newHandler(ByteBufAllocator.DEFAULT);
        EmbeddedChannel serverChannel = new EmbeddedChannel(serverHandler);
        ByteBuf serverOutput = Unpooled.buffer();
        try {
            writeInbound(serverChannel, Unpooled.wrappedBuffer(input));
            drain(serverChannel, null, serverOutput);
        } finally {
            close(serverChannel);
        }
        return new Handshake(null, serverHandler, serverOutput);
    }

    private static void close(EmbeddedChannel channel) {
        try {
            channel.finishAndReleaseAll();
        } catch (Exception e) {
            // The failure, if any, is in the handshake future.
        }
    }

    private static boolean drain(EmbeddedChannel from, EmbeddedChannel to, ByteBuf copy) {
        boolean moved = false;
        for (ByteBuf out = from.readOutbound(); out != null; out = from.readOutbound()) {
            moved = true;
            if (copy != null) {
                copy.writeBytes(out, out.readerIndex(), out.readableBytes());
            }
            if (to != null && to.isOpen()) {
                writeInbound(to, out);
            } else {
                out.release();
            }
        }
        return moved;
    }

    private static void writeInbound(EmbeddedChannel channel, ByteBuf data) {
        try {
            channel.writeInbound(data);
        } catch (Exception e) {
            // A failed handshake surfaces here (sneakily thrown); the handshake future records it.
        }
    }
}
