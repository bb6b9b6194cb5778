package im.tongyou.consent;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The only code that touches {@code consent_ticket}: approvals for staff to read a minor's data
 * (R-CHD-7), each for one subject, one staff member, named fields and a purpose, until it expires.
 */
final class TicketStore {

    /**
     * An approval ticket.
     *
     * @param id        its id
     * @param subject   the minor's username
     * @param staff     the bare JID of the staff member it allows
     * @param approver  the bare JID of who approved it
     * @param fields    the profile fields it allows
     * @param purpose   why
     * @param createdAt when it was approved
     * @param expiresAt when it ends
     */
    record Ticket(String id, String subject, String staff, String approver, Set<String> fields, String purpose,
                  Instant createdAt, Instant expiresAt) {
    }

    private final Sql sql;

    TicketStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    void insert(Ticket t) {
        sql.update("INSERT INTO consent_ticket (id, subject, staff, approver, fields, purpose, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t.id(), t.subject(), t.staff(), t.approver(),
                String.join(",", t.fields()), t.purpose(), t.createdAt(), t.expiresAt());
    }

    Optional<Ticket> find(String id) {
        return sql.one("SELECT id, subject, staff, approver, fields, purpose, created_at, expires_at FROM consent_ticket "
                + "WHERE id = ?", TicketStore::ticket, id);
    }

    List<Ticket> forSubject(String subject) {
        return sql.query("SELECT id, subject, staff, approver, fields, purpose, created_at, expires_at FROM consent_ticket "
                + "WHERE subject = ? ORDER BY created_at", TicketStore::ticket, subject);
    }

    void deleteForSubject(String subject) {
        sql.update("DELETE FROM consent_ticket WHERE subject = ?", subject);
    }

    private static Ticket ticket(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Ticket(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                new LinkedHashSet<>(Arrays.asList(rs.getString(5).split(","))), rs.getString(6), Sql.instant(rs, 7),
                Sql.instant(rs, 8));
    }
}
