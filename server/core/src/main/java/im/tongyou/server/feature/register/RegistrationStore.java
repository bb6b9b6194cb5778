package im.tongyou.server.feature.register;

import im.tongyou.server.storage.Jdbc;
import im.tongyou.server.storage.RowCache;
import im.tongyou.server.storage.StorageException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The only code that touches {@code register_user} and {@code register_policy_acceptance}: an
 * account's phone number (keyed hash for the one-account-per-number look-up, ciphertext under the
 * user's key), birthday (ciphertext) and the policy versions it accepted.
 */
final class RegistrationStore {

    /** The privacy policy, as named in the acceptance table. */
    static final String PRIVACY_POLICY = "privacy";

    /**
     * What registration recorded about an account.
     *
     * @param username     the account
     * @param phoneEnc     the encrypted E.164 number
     * @param birthdayEnc  the encrypted ISO birthday, or {@code null}
     * @param registeredAt when the account registered
     */
    record User(String username, byte[] phoneEnc, byte[] birthdayEnc, Instant registeredAt) {
    }

    /**
     * An accepted policy version.
     *
     * @param document   the policy document, for example {@code privacy}
     * @param version    the version, for example {@code V4.2.7}
     * @param acceptedAt when
     */
    record Acceptance(String document, String version, Instant acceptedAt) {
    }

    private final Jdbc jdbc;
    /**
     * {@link #find}'s rows (ciphertexts only: values are still decrypted at each call), as the
     * consent plugin reads the birthday at every login (R-CHD-11); every write here invalidates.
     */
    private final RowCache<Optional<User>> users = new RowCache<>(100_000, TimeUnit.SECONDS.toNanos(60), System::nanoTime);

    RegistrationStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    boolean phoneTaken(byte[] phoneHash) {
        return jdbc.queryOne("SELECT 1 FROM register_user WHERE phone_hash = ?", rs -> 1, (Object) phoneHash).isPresent();
    }

    /**
     * Records a registration and the accepted policy version in one transaction.
     *
     * @return false when another account has the number (the unique key decides races)
     */
    boolean insert(String username, byte[] phoneHash, byte[] phoneEnc, byte[] birthdayEnc, Instant at,
                   String policyVersion) {
        try {
            return jdbc.inTransaction(c -> {
                Jdbc.update(c, "INSERT INTO register_user (username, phone_hash, phone_enc, birthday_enc, registered_at) "
                        + "VALUES (?, ?, ?, ?, ?)", username, phoneHash, phoneEnc, birthdayEnc, at);
                Jdbc.update(c, "INSERT INTO register_policy_acceptance (username, policy_doc, policy_version, accepted_at) "
                        + "VALUES (?, ?, ?, ?)", username, PRIVACY_POLICY, policyVersion, at);
                return true;
            });
        } catch (StorageException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return false; // unique violation, the same SQLSTATE on H2 and PostgreSQL
            }
            throw e;
        } finally {
            users.invalidate(username);
        }
    }

    Optional<User> find(String username) {
        return users.get(username, this::read);
    }

    private Optional<User> read(String username) {
        return jdbc.queryOne("SELECT username, phone_enc, birthday_enc, registered_at FROM register_user WHERE username = ?",
                rs -> new User(rs.getString(1), rs.getBytes(2), rs.getBytes(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()), username);
    }

    List<Acceptance> acceptances(String username) {
        return jdbc.query("SELECT policy_doc, policy_version, accepted_at FROM register_policy_acceptance "
                + "WHERE username = ? ORDER BY accepted_at", rs -> new Acceptance(rs.getString(1), rs.getString(2),
                rs.getObject(3, OffsetDateTime.class).toInstant()), username);
    }

    /** Replaces the encrypted birthday of a registration that has one; false when there is none. */
    boolean updateBirthday(String username, byte[] birthdayEnc) {
        try {
            return jdbc.update("UPDATE register_user SET birthday_enc = ? WHERE username = ? AND birthday_enc IS NOT NULL",
                    birthdayEnc, username) > 0;
        } finally {
            users.invalidate(username);
        }
    }

    void deleteUser(String username) {
        try {
            jdbc.update("DELETE FROM register_user WHERE username = ?", username);
        } finally {
            users.invalidate(username);
        }
    }

    void deleteAcceptances(String username) {
        jdbc.update("DELETE FROM register_policy_acceptance WHERE username = ?", username);
    }
}
