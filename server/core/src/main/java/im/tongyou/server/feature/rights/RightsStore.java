package im.tongyou.server.feature.rights;

import im.tongyou.server.storage.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code rights_request} table: users' rights requests, their export links and their outcomes. */
final class RightsStore {

    /**
     * One request.
     *
     * @param id          the request id
     * @param username    who asked
     * @param kind        {@code export} or {@code correction}
     * @param receivedAt  when it came
     * @param verifiedAt  when the requester's identity was verified (the authenticated stream)
     * @param respondedAt when it was answered, or {@code null} while it waits for staff
     * @param deadline    the latest answer the policy allows
     * @param expiresAt   when the export link stops working, or {@code null}
     * @param downloads   how often the link was used
     * @param outcome     {@code done} or {@code refused}; {@code null} while open
     * @param reason      the reason code of a refusal, or {@code null}
     */
    record Request(String id, String username, String kind, Instant receivedAt, Instant verifiedAt,
                   Instant respondedAt, Instant deadline, Instant expiresAt, int downloads, String outcome,
                   String reason) {
    }

    private static final String COLUMNS = "id, username, kind, received_at, verified_at, responded_at, deadline_at, "
            + "expires_at, downloads, outcome, reason";

    private final Jdbc jdbc;

    RightsStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    void insert(Request r, String tokenHash) {
        insert(r, tokenHash, null);
    }

    /** Inserts a request; the token hash of an export link and the encrypted detail of a correction may be null. */
    void insert(Request r, String tokenHash, byte[] detailEnc) {
        jdbc.update("INSERT INTO rights_request (" + COLUMNS + ", token_hash, detail_enc) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), r.username(), r.kind(), r.receivedAt(), r.verifiedAt(), r.respondedAt(), r.deadline(),
                r.expiresAt(), r.downloads(), r.outcome(), r.reason(), tokenHash, detailEnc);
    }

    Optional<Request> byToken(String tokenHash) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM rights_request WHERE token_hash = ?", RightsStore::request,
                tokenHash);
    }

    Optional<Request> byId(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM rights_request WHERE id = ?", RightsStore::request, id);
    }

    /** The encrypted detail of a correction, if it has one. */
    Optional<byte[]> detail(String id) {
        return jdbc.queryOne("SELECT detail_enc FROM rights_request WHERE id = ? AND detail_enc IS NOT NULL",
                rs -> rs.getBytes(1), id);
    }

    List<Request> ofUser(String username) {
        return jdbc.query("SELECT " + COLUMNS + " FROM rights_request WHERE username = ? ORDER BY received_at, id",
                RightsStore::request, username);
    }

    /** The requests that wait for staff, oldest first. */
    List<Request> open() {
        return jdbc.query("SELECT " + COLUMNS + " FROM rights_request WHERE responded_at IS NULL "
                + "ORDER BY received_at, id", RightsStore::request);
    }

    /** Records the answer of an open request; false when it was answered already (or does not exist). */
    boolean respond(String id, Instant at, String outcome, String reason) {
        return jdbc.update("UPDATE rights_request SET responded_at = ?, outcome = ?, reason = ? "
                + "WHERE id = ? AND responded_at IS NULL", at, outcome, reason, id) == 1;
    }

    void downloaded(String id) {
        jdbc.update("UPDATE rights_request SET downloads = downloads + 1 WHERE id = ?", id);
    }

    void erase(String username) {
        jdbc.update("DELETE FROM rights_request WHERE username = ?", username);
    }

    /** Forgets the tokens of expired links (the request record stays) and deletes records past retention. */
    long purge(Instant now, Instant cutoff) {
        jdbc.update("UPDATE rights_request SET token_hash = NULL WHERE token_hash IS NOT NULL AND expires_at < ?", now);
        return jdbc.update("DELETE FROM rights_request WHERE received_at < ? AND responded_at IS NOT NULL", cutoff);
    }

    Optional<Instant> oldest() {
        return jdbc.queryOne("SELECT MIN(received_at) FROM rights_request", rs -> rs.getObject(1, OffsetDateTime.class))
                .map(OffsetDateTime::toInstant);
    }

    private static Request request(ResultSet rs) throws SQLException {
        return new Request(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                instant(rs, 6), instant(rs, 7), instant(rs, 8), rs.getInt(9), rs.getString(10), rs.getString(11));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
