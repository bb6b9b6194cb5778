package im.tongyou.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads every form of PEM certificate and key file {@link PemFiles} accepts
 * (<a href="https://www.rfc-editor.org/rfc/rfc7468">RFC 7468</a>, PKCS#1, SEC1 with an "EC PARAMETERS"
 * block) with Bouncy Castle's parser, and names the file in every error.
 */
final class BcPem {

    private BcPem() {
    }

    /** Reads every certificate in the file, in order (leaf first by convention). */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = open(file, "certificate"); PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("cannot read the TLS certificate file " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("the TLS certificate file " + file + " holds no PEM CERTIFICATE");
        }
        return certificates;
    }

    /** Reads the first private key in the file. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader reader = open(file, "private key"); PEMParser parser = new PEMParser(reader)) {
            ASN1ObjectIdentifier namedCurve = null;
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException("the TLS private key file " + file
                            + " is encrypted; give an unencrypted key and protect the file instead");
                }
                if (object instanceof ASN1ObjectIdentifier curve) {
                    // An "EC PARAMETERS" block naming the curve, as "openssl ecparam -genkey" writes.
                    namedCurve = curve;
                } else if (object instanceof PEMKeyPair pair) {
                    return toJdkKey(withCurve(pair.getPrivateKeyInfo(), namedCurve), file);
                } else if (object instanceof PrivateKeyInfo info) {
                    return toJdkKey(info, file);
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot read the TLS private key file " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("the TLS private key file " + file
                + " holds no PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
    }

    private static Reader open(Path file, String what) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "the TLS " + what + " file does not exist");
        } catch (IOException e) {
            throw new IOException("cannot open the TLS " + what + " file " + file + ": " + e, e);
        }
    }

    /**
     * SEC1 (RFC 5915 §3) makes the curve in an EC private key optional; when the key leaves it out,
     * takes it from a preceding "EC PARAMETERS" block.
     */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier namedCurve) throws IOException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        boolean missing = algorithm.getParameters() == null || algorithm.getParameters() instanceof ASN1Null;
        if (!algorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey) || !missing || namedCurve == null) {
            return info;
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, namedCurve),
                info.parsePrivateKey());
    }

    /** Converts to a key of the JDK's own providers, which every SSL engine accepts. */
    private static PrivateKey toJdkKey(PrivateKeyInfo info, Path file) throws IOException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            name = "RSA";
        } else if (algorithm.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            name = "RSASSA-PSS";
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            name = "EC";
        } else if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            name = "Ed25519";
        } else {
            throw new IOException("the TLS private key in " + file + " uses an unsupported algorithm " + algorithm);
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the " + name + " private key in " + file + ": " + e.getMessage(), e);
        }
    }
}
