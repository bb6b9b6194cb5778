package im.tongyou.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * Remembers the SHA-256 of every changelog file Liquibase applied, in the table
 * {@code tongyou_changelog}, so that a restart with unchanged changelogs does not start Liquibase at
 * all (Liquibase takes over a second to find there is nothing to do). A changelog that includes
 * other files is always handed to Liquibase, since its own bytes do not cover the included ones.
 */
final class AppliedChangelogs {

    private final Jdbc jdbc;
    private final DataSource dataSource;

    AppliedChangelogs(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
    }

    /** The checksum of a changelog resource, or {@code null} when it cannot be skipped safely. */
    String checksum(String resource, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null; // Liquibase will report the missing file
            }
            byte[] bytes = in.readAllBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.contains("<include") || text.contains("<includeAll")) {
                return null;
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    boolean isApplied(String resource, String checksum) {
        ensureTable();
        return jdbc.queryOne("SELECT sha256 FROM tongyou_changelog WHERE path = ?", rs -> rs.getString(1), resource)
                .map(checksum::equals).orElse(false);
    }

    void record(String resource, String checksum) {
        ensureTable();
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM tongyou_changelog WHERE path = ?", resource);
            Jdbc.update(c, "INSERT INTO tongyou_changelog (path, sha256, applied_at) VALUES (?, ?, ?)",
                    resource, checksum, Instant.now());
            return null;
        });
    }

    private void ensureTable() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS tongyou_changelog (path VARCHAR(255) PRIMARY KEY, "
                    + "sha256 VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        } catch (SQLException e) {
            throw new StorageException("cannot create the table tongyou_changelog: " + e.getMessage(), e);
        }
    }
}
