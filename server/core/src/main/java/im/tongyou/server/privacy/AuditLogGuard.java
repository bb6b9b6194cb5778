package im.tongyou.server.privacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.h2.api.Trigger;

/**
 * The H2 trigger that keeps {@code audit_log} append-only: every UPDATE is refused, and a DELETE
 * only of rows at least {@value #MIN_YEARS} years old (the retention purge), measured against the
 * database's wall clock. PostgreSQL has the same rule in PL/pgSQL (core changelog).
 */
public final class AuditLogGuard implements Trigger {

    /** The youngest a row may be when it is deleted, in years (privacy requirements §1.10: ≥3 years). */
    static final int MIN_YEARS = 3;
    private static final int CREATED_AT = 1;

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow != null) {
            throw new SQLException("audit_log is append-only: UPDATE is refused", "42000");
        }
        Object created = oldRow[CREATED_AT];
        OffsetDateTime at = created instanceof OffsetDateTime o ? o : null;
        if (at == null || at.isAfter(OffsetDateTime.now(ZoneOffset.UTC).minusYears(MIN_YEARS))) {
            throw new SQLException("audit_log is append-only: rows younger than " + MIN_YEARS
                    + " years cannot be deleted", "42000");
        }
    }
}
