package im.tongyou.server.feature.upload;

import im.tongyou.server.storage.Jdbc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The only code that touches the {@code upload_file} table and the upload directory: slots, their
 * encrypted files, quotas and the purge of what is due.
 */
final class UploadStore {

    /** One slot and, once uploaded, its file. */
    record Slot(String slot, String username, String filename, String contentType, long size, Instant createdAt,
                Instant uploadedAt) {
    }

    private final Jdbc jdbc;
    private final Path directory;

    UploadStore(DataSource dataSource, Path directory) {
        this.jdbc = new Jdbc(dataSource);
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload directory " + directory, e);
        }
    }

    void create(Slot slot) {
        jdbc.update("INSERT INTO upload_file (slot, username, filename, content_type, size_bytes, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", slot.slot(), slot.username(), slot.filename(), slot.contentType(),
                slot.size(), slot.createdAt());
    }

    Optional<Slot> find(String slot) {
        return jdbc.queryOne("SELECT slot, username, filename, content_type, size_bytes, created_at, uploaded_at "
                + "FROM upload_file WHERE slot = ?", UploadStore::row, slot);
    }

    List<Slot> ofUser(String username) {
        return jdbc.query("SELECT slot, username, filename, content_type, size_bytes, created_at, uploaded_at "
                + "FROM upload_file WHERE username = ? ORDER BY created_at", UploadStore::row, username);
    }

    /** Bytes the user has stored or reserved. */
    long usedBytes(String username) {
        return jdbc.queryOne("SELECT COALESCE(SUM(size_bytes), 0) FROM upload_file WHERE username = ?",
                rs -> rs.getLong(1), username).orElse(0L);
    }

    /** Writes the (encrypted) file and marks the slot uploaded; false when it was uploaded already. */
    boolean store(String slot, byte[] sealed, Instant now) {
        if (jdbc.update("UPDATE upload_file SET uploaded_at = ? WHERE slot = ? AND uploaded_at IS NULL", now, slot) == 0) {
            return false;
        }
        try {
            Path tmp = Files.createTempFile(directory, slot, ".tmp");
            Files.write(tmp, sealed);
            Files.move(tmp, file(slot), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            jdbc.update("UPDATE upload_file SET uploaded_at = NULL WHERE slot = ?", slot);
            throw new UncheckedIOException("cannot store an upload: " + e.getMessage(), e);
        }
    }

    byte[] read(String slot) throws IOException {
        return Files.readAllBytes(file(slot));
    }

    /** Deletes slots (and files) of a user; returns how many. */
    int deleteUser(String username) {
        List<Slot> slots = ofUser(username);
        slots.forEach(s -> delete(s.slot()));
        return slots.size();
    }

    /** Deletes files created before the time, and slots never used past their time; returns how many. */
    int purge(Instant filesBefore, Instant emptySlotsBefore) {
        List<String> due = jdbc.query("SELECT slot FROM upload_file WHERE created_at < ? OR "
                + "(uploaded_at IS NULL AND created_at < ?)", rs -> rs.getString(1), filesBefore, emptySlotsBefore);
        due.forEach(this::delete);
        return due.size();
    }

    /** The creation time of the oldest stored file, for the retention report. */
    Optional<Instant> oldest() {
        return jdbc.queryOne("SELECT MIN(created_at) FROM upload_file", rs -> {
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        });
    }

    private void delete(String slot) {
        try {
            Files.deleteIfExists(file(slot));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete an upload: " + e.getMessage(), e);
        }
        jdbc.update("DELETE FROM upload_file WHERE slot = ?", slot);
    }

    private Path file(String slot) {
        return directory.resolve(slot + ".bin");
    }

    private static Slot row(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime uploaded = rs.getObject(7, OffsetDateTime.class);
        return new Slot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getObject(6, OffsetDateTime.class).toInstant(), uploaded == null ? null : uploaded.toInstant());
    }
}
