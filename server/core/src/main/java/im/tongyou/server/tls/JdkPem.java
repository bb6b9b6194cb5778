package im.tongyou.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the plain cases of PEM (<a href="https://www.rfc-editor.org/rfc/rfc7468#section-2">RFC 7468
 * §2</a>) with the JDK alone: files holding only {@code CERTIFICATE} blocks, and files holding one
 * PKCS#8 {@code PRIVATE KEY} (RFC 7468 §10). Answers {@code null} for anything else, or anything it
 * cannot read, so that {@link PemFiles} parses the file as before and reports its errors.
 */
final class JdkPem {

    /** An encapsulation boundary pair with its label and the Base64 text between (RFC 7468 §3). */
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ");
    /** The key algorithms {@link PemFiles} accepts, the self-signed key's (EC) first. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "RSASSA-PSS");

    private JdkPem() {
    }

    /** The certificates of a file of {@code CERTIFICATE} blocks only, or {@code null}. */
    static List<X509Certificate> certificates(Path file) {
        List<byte[]> blocks = blocks(file, "CERTIFICATE");
        if (blocks == null) {
            return null;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>(blocks.size());
            for (byte[] der : blocks) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
            return List.copyOf(certificates);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The key of a file of exactly one {@code PRIVATE KEY} block, or {@code null}. */
    static PrivateKey privateKey(Path file) {
        List<byte[]> blocks = blocks(file, "PRIVATE KEY");
        if (blocks == null || blocks.size() != 1) {
            return null;
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                // Each factory refuses a key of another algorithm (its object identifier differs).
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm
            }
        }
        return null;
    }

    /**
     * The decoded blocks of the file when it has at least one block and every block has the label,
     * or {@code null} (also when the file cannot be read: the caller's parser names the problem).
     */
    private static List<byte[]> blocks(Path file, String label) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<byte[]> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (!matcher.group(1).equals(label)) {
                return null;
            }
            try {
                blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        // Every "-----BEGIN " must have been a whole block: no headers, no unfinished block.
        int begins = 0;
        for (Matcher m = BEGIN.matcher(text); m.find(); ) {
            begins++;
        }
        return blocks.isEmpty() || begins != blocks.size() ? null : blocks;
    }
}
