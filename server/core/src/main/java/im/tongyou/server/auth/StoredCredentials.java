package im.tongyou.server.auth;

import java.util.Optional;

/**
 * What the account store holds for one account's login: its SCRAM keys per hash and whether it is
 * disabled (<a href="https://www.rfc-editor.org/rfc/rfc5802#section-3">RFC 5802 §3</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.5.2">RFC 6120 §6.5.2</a>).
 *
 * @param sha1     the SCRAM-SHA-1 credentials, or {@code null} if none are stored
 * @param sha256   the SCRAM-SHA-256 credentials, or {@code null} if none are stored
 * @param disabled whether logins are refused with {@code account-disabled}
 */
public record StoredCredentials(ScramCredentials sha1, ScramCredentials sha256, boolean disabled) {

    public StoredCredentials {
        if (sha1 != null && sha1.hash() != ScramHash.SHA_1) {
            throw new IllegalArgumentException("sha1 holds " + sha1.hash() + " credentials");
        }
        if (sha256 != null && sha256.hash() != ScramHash.SHA_256) {
            throw new IllegalArgumentException("sha256 holds " + sha256.hash() + " credentials");
        }
    }

    /** The credentials for one hash, if stored. */
    public Optional<ScramCredentials> get(ScramHash hash) {
        return Optional.ofNullable(switch (hash) {
            case SHA_1 -> sha1;
            case SHA_256 -> sha256;
        });
    }

    /** The strongest credentials stored (SHA-256 before SHA-1), as PLAIN verifies against them. */
    public Optional<ScramCredentials> strongest() {
        return Optional.ofNullable(sha256 != null ? sha256 : sha1);
    }
}
