package im.tongyou.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * A random secret of this installation, generated on first start into the data directory and kept
 * across restarts (mode 0600). It keys values that must stay stable but unguessable, such as the
 * decoy SCRAM salts of unknown users.
 */
final class ServerSecret {

    static final String FILE_NAME = "server.secret";
    private static final int LENGTH = 32;

    private ServerSecret() {
    }

    static byte[] load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                byte[] secret = Files.readAllBytes(file);
                if (secret.length == LENGTH) {
                    return secret;
                }
                throw new IllegalStateException(file.toAbsolutePath() + " is not a secret of " + LENGTH
                        + " bytes; remove it to have a new one generated");
            }
            byte[] secret = new byte[LENGTH];
            new SecureRandom().nextBytes(secret);
            Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.write(tmp, secret);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
