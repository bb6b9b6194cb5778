package im.tongyou.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.h2.api.Trigger;

/**
 * The H2 trigger that keeps {@code consent_ledger} append-only (AC-01: "UPDATE and DELETE on the
 * ledger table fail"): every UPDATE is refused, and a DELETE is allowed only for the rows of a
 * subject whose username was removed (the purge at the end of the pseudonymised retention,
 * decision 8). PostgreSQL has the same rule in PL/pgSQL (the changelog).
 */
public final class LedgerGuard implements Trigger {

    private int subjectColumn = -1;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        try (ResultSet columns = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (columns.next()) {
                if ("SUBJECT_ID".equals(columns.getString("COLUMN_NAME").toUpperCase(Locale.ROOT))) {
                    subjectColumn = columns.getInt("ORDINAL_POSITION") - 1;
                }
            }
        }
        if (subjectColumn < 0) {
            throw new SQLException(tableName + " has no subject_id column");
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null && oldRow != null && pseudonymised(conn, (String) oldRow[subjectColumn])) {
            return;
        }
        throw new SQLException("consent_ledger is append-only: " + (newRow == null ? "DELETE" : "UPDATE")
                + " refused", "42000");
    }

    private static boolean pseudonymised(Connection conn, String subjectId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM consent_subject WHERE subject_id = ? "
                + "AND username IS NULL AND pseudonymised_at IS NOT NULL")) {
            ps.setString(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
