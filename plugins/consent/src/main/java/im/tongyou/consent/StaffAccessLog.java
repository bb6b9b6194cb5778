package im.tongyou.consent;

import im.tongyou.api.privacy.Crypto;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Where staff reads of personal data are logged (R-CHD-7, R-SEC-4, AC-09). The shape is that of the
 * core's coming {@code im.tongyou.api.privacy.AuditLog#append(actor, action, subject, details)},
 * which will take this over; until it is in the plugin API, {@link Local} keeps the rows in
 * {@code consent_staff_access}, the subject only as a keyed hash, so the rows outlive the account.
 */
interface StaffAccessLog {

    /** Appends a row; details hold no plaintext personal data. */
    void append(String actor, String action, String subject, Map<String, String> details);

    /** The rows about a user, oldest first, for the user's export. */
    List<Map<String, Object>> forSubject(String username);

    /** The plugin's own log until the core's audit log is available. */
    final class Local implements StaffAccessLog {
        private static final String SUBJECT_PURPOSE = "consent-staff-access-subject";

        private final Sql sql;
        private final Crypto crypto;
        private final Clock clock;

        Local(DataSource dataSource, Crypto crypto, Clock clock) {
            this.sql = new Sql(dataSource);
            this.crypto = crypto;
            this.clock = clock;
        }

        @Override
        public void append(String actor, String action, String subject, Map<String, String> details) {
            StringJoiner text = new StringJoiner(";");
            new TreeMap<>(details).forEach((k, v) -> text.add(k + "=" + v));
            sql.update("INSERT INTO consent_staff_access (id, accessed_at, staff, action, subject_ref, details) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), clock.instant(), actor, action,
                    subject == null ? null : ref(subject), text.toString());
        }

        @Override
        public List<Map<String, Object>> forSubject(String username) {
            List<Map<String, Object>> rows = new ArrayList<>();
            sql.query("SELECT accessed_at, staff, action, details FROM consent_staff_access WHERE subject_ref = ? "
                    + "ORDER BY accessed_at", rs -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("at", Sql.instant(rs, 1).toString());
                        row.put("staff", rs.getString(2));
                        row.put("action", rs.getString(3));
                        row.put("details", rs.getString(4));
                        return rows.add(row);
                    }, ref(username));
            return rows;
        }

        private String ref(String username) {
            return HexFormat.of().formatHex(crypto.keyedHash(SUBJECT_PURPOSE, username));
        }
    }
}
