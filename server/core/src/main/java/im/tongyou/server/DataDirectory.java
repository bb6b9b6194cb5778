package im.tongyou.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory: created on first start, readable only by the server's user (it holds the
 * database, the TLS key and the admin socket).
 */
final class DataDirectory {

    private DataDirectory() {
    }

    static void prepare(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the operator secures it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }
}
