package im.tongyou.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Plausible SCRAM credentials for user names without an account, so that neither the
 * server-first-message nor the time PLAIN takes tells an attacker which accounts exist
 * (<a href="https://www.rfc-editor.org/rfc/rfc5802#section-5.1">RFC 5802 §5.1</a>: the salt and
 * iteration count go out before the client has proved anything).
 *
 * <p>The salt is an HMAC of the user name keyed by a server secret, so it is the same on every
 * attempt, as a real account's salt is; the iteration count is the one new accounts get. The
 * secret must be random, at least 16 bytes, and kept across restarts (a salt that changes on
 * restart would give the game away). No real proof ever matches the decoy keys. Thread-safe.
 */
public final class UnknownUserDecoys {

    private static final String DOMAIN_SEPARATION = "tongyou/scram-decoy/v1";

    private final byte[] secret;
    private final int iterations;

    /**
     * @param secret     the server secret, at least 16 bytes (copied)
     * @param iterations the iteration count given to new accounts
     */
    public UnknownUserDecoys(byte[] secret, int iterations) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("the decoy secret must be at least 16 bytes");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("the iteration count must be positive: " + iterations);
        }
        this.secret = secret.clone();
        this.iterations = iterations;
    }

    /** The iteration count that decoys (and so new accounts) have. */
    public int iterations() {
        return iterations;
    }

    /** Decoy credentials for a user name (after SASLprep), stable across calls. */
    public ScramCredentials credentials(ScramHash hash, String username) {
        byte[] salt = Arrays.copyOf(mac(hash, "salt", username), ScramCredentials.SALT_LENGTH);
        byte[] storedKey = Arrays.copyOf(mac(hash, "stored-key", username), hash.length());
        byte[] serverKey = Arrays.copyOf(mac(hash, "server-key", username), hash.length());
        return new ScramCredentials(hash, salt, iterations, storedKey, serverKey);
    }

    private byte[] mac(ScramHash hash, String purpose, String username) {
        // Fields are NUL-separated; none of them can contain NUL, so the input is unambiguous.
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (String field : new String[] {DOMAIN_SEPARATION, purpose, hash.mechanismName(), username}) {
            input.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            input.write(0);
        }
        // Always HMAC-SHA-256, which gives enough bytes for every key length we use.
        return ScramHash.SHA_256.hmac(secret, input.toByteArray());
    }
}
