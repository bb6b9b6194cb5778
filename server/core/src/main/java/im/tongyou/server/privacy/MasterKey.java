package im.tongyou.server.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's master key: 32 random bytes in {@code <data-dir>/master.key} (mode 0600), generated on
 * first start. It never encrypts data itself: it wraps the per-user data keys and derives the keys
 * of keyed hashes (HKDF-style, HMAC-SHA-256 with a label per use). Back it up apart from the
 * database: a database backup alone cannot be decrypted.
 */
public final class MasterKey {

    static final String FILE_NAME = "master.key";
    private static final int LENGTH = 32;

    private final byte[] key;

    private MasterKey(byte[] key) {
        this.key = key;
    }

    /** A master key from bytes, for tests. */
    public static MasterKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a master key has " + LENGTH + " bytes");
        }
        return new MasterKey(key.clone());
    }

    /** Loads the master key of a data directory, generating it on first start. */
    public static MasterKey load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length != LENGTH) {
                    throw new IllegalStateException(file.toAbsolutePath() + " is not a key of " + LENGTH + " bytes");
                }
                return new MasterKey(bytes);
            }
            byte[] bytes = new byte[LENGTH];
            new SecureRandom().nextBytes(bytes);
            Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return new MasterKey(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** A 32-byte key derived for one use: HMAC-SHA-256(master, label). */
    byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }
}
