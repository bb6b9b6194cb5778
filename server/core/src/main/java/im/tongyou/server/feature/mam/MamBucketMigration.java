package im.tongyou.server.feature.mam;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;

/**
 * Moves the messages of the former {@code mam_message} table (a row per message) into buckets
 * ({@link MamBucket}), a conversation at a time in key order, keeping each message's key, UID and
 * sealed stanza as they were (nothing is decrypted). Every UID moved is kept in {@code mam_uid}: some
 * of them are random UIDs from before UIDs were derived from keys. Run by Liquibase (changeset
 * {@code mam-4-move-messages}) in the changeset's transaction.
 */
public final class MamBucketMigration implements CustomTaskChange {

    private static final int BATCH = 2000;
    private long moved;

    @Override
    public void execute(Database database) throws CustomChangeException {
        Connection c = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, owner, with_bare, with_resource, sid, outgoing, stanza"
                + " FROM mam_message ORDER BY owner, with_bare, id")) {
            ps.setFetchSize(BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                List<MamStore.Row> rows = new ArrayList<>(BATCH);
                while (rs.next()) {
                    rows.add(new MamStore.Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6), rs.getBytes(7)));
                    if (rows.size() == BATCH) {
                        flush(c, rows);
                    }
                }
                flush(c, rows);
            }
        } catch (SQLException e) {
            throw new CustomChangeException("cannot move the archived messages into buckets: " + e.getMessage(), e);
        }
    }

    private void flush(Connection c, List<MamStore.Row> rows) throws SQLException {
        MamStore.insertSealed(c, rows);
        moved += rows.size();
        rows.clear();
    }

    @Override
    public String getConfirmationMessage() {
        return moved + " archived messages moved into buckets";
    }

    @Override
    public void setUp() {
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
    }

    @Override
    public ValidationErrors validate(Database database) {
        return new ValidationErrors();
    }
}
