package im.tongyou.server.tls;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes certificates and private keys in PEM
 * (<a href="https://www.rfc-editor.org/rfc/rfc7468">RFC 7468</a>). Keys may be PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY});
 * encrypted keys are refused. Errors are {@link IOException}s whose message names the file.
 *
 * <p>The common files (only {@code CERTIFICATE} blocks; one PKCS#8 {@code PRIVATE KEY}, as the
 * self-signed key is written) are read by the JDK ({@link JdkPem}); everything else, and every file
 * the JDK cannot read, goes to Bouncy Castle's parser ({@link BcPem}). No class here refers to Bouncy
 * Castle: its jars are signed, so class data sharing cannot archive them, and loading one class
 * verifies the jar's signature (a few hundred milliseconds of CPU at every start).
 */
final class PemFiles {

    private PemFiles() {
    }

    /** Reads every certificate in the file, in order (leaf first by convention). */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> plain = JdkPem.certificates(file);
        return plain != null ? plain : BcPem.readCertificates(file);
    }

    /** Reads the first private key in the file. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        PrivateKey plain = JdkPem.privateKey(file);
        return plain != null ? plain : BcPem.readPrivateKey(file);
    }

    /** Writes one certificate, replacing the file atomically where the file system can. */
    static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try {
            write(file, "CERTIFICATE", certificate.getEncoded(), false);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the certificate for " + file, e);
        }
    }

    /** Writes a key as PKCS#8, readable by its owner only where the file system has POSIX permissions. */
    static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        write(file, "PRIVATE KEY", key.getEncoded(), true);
    }

    /** Writes one PEM block (RFC 7468 §2: Base64 in lines of 64 characters). */
    private static void write(Path file, String label, byte[] der, boolean ownerOnly) throws IOException {
        String pem = "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (ownerOnly && Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            // Created with mode 600 from the start, so the key is never readable by others.
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
            out.write(pem);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
