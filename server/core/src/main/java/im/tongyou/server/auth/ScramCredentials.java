package im.tongyou.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What the server keeps of a password for one SCRAM hash: salt, iteration count, StoredKey and
 * ServerKey (<a href="https://www.rfc-editor.org/rfc/rfc5802#section-3">RFC 5802 §3</a>); the
 * password itself is never stored.
 *
 * <p>Arrays are copied in and out. {@code toString()} leaves the keys out: with StoredKey and
 * ServerKey anyone can pose as this server to the user (RFC 5802 §9).
 *
 * @param hash       the hash function
 * @param salt       the salt, at least one byte ({@value #SALT_LENGTH} for new credentials)
 * @param iterations the PBKDF2 iteration count {@code i}, at least one (RFC 7677 §4 asks for 4096 or more)
 * @param storedKey  {@code H(ClientKey)}
 * @param serverKey  {@code HMAC(SaltedPassword, "Server Key")}
 */
public record ScramCredentials(ScramHash hash, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** The salt length, in bytes, for new credentials and for the decoys of unknown users. */
    public static final int SALT_LENGTH = 16;

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    public ScramCredentials {
        Objects.requireNonNull(hash, "hash");
        if (salt == null || salt.length == 0) {
            throw new IllegalArgumentException("the salt must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("the iteration count must be positive: " + iterations);
        }
        if (storedKey == null || storedKey.length != hash.length()
                || serverKey == null || serverKey.length != hash.length()) {
            throw new IllegalArgumentException("StoredKey and ServerKey must be " + hash.length() + " bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /**
     * Derives the credentials for a password, RFC 5802 §3:
     * <pre>
     * SaltedPassword  := Hi(Normalize(password), salt, i)
     * ClientKey       := HMAC(SaltedPassword, "Client Key")
     * StoredKey       := H(ClientKey)
     * ServerKey       := HMAC(SaltedPassword, "Server Key")
     * </pre>
     * where {@code Normalize} is SASLprep (as a query string, see {@link SaslPrep}) and {@code Hi} is
     * PBKDF2 with HMAC as the pseudo-random function and the hash length as the key length. The
     * caller keeps (and should wipe) {@code password}; intermediate copies are wiped here. This
     * runs {@code iterations} HMACs: keep it off event loops.
     *
     * @throws IllegalArgumentException if the password is empty or fails SASLprep
     */
    public static ScramCredentials derive(ScramHash hash, char[] password, byte[] salt, int iterations) {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (salt.length == 0 || iterations < 1) {
            throw new IllegalArgumentException("the salt must not be empty and the iteration count must be positive");
        }
        char[] normalized = SaslPrep.prepareQuery(password);
        byte[] saltedPassword = null;
        byte[] clientKey = null;
        try {
            if (normalized.length == 0) {
                throw new IllegalArgumentException("the password is empty");
            }
            saltedPassword = hi(hash, normalized, salt, iterations);
            clientKey = hash.hmac(saltedPassword, CLIENT_KEY);
            return new ScramCredentials(hash, salt, iterations, hash.digest(clientKey),
                    hash.hmac(saltedPassword, SERVER_KEY));
        } finally {
            SaslPrep.wipe(normalized);
            wipe(saltedPassword);
            wipe(clientKey);
        }
    }

    /** A new random salt of {@value #SALT_LENGTH} bytes. */
    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return salt;
    }

    /**
     * Checks a password sent in the clear (SASL PLAIN) by deriving with this salt and iteration
     * count and comparing both keys in constant time. A password that fails SASLprep does not match.
     * The caller keeps (and should wipe) {@code password}.
     */
    public boolean verifyPlain(char[] password) {
        ScramCredentials candidate;
        try {
            candidate = derive(hash, password, salt, iterations);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Both comparisons always run, so the time does not depend on which key differs.
        boolean storedMatches = MessageDigest.isEqual(storedKey, candidate.storedKey);
        boolean serverMatches = MessageDigest.isEqual(serverKey, candidate.serverKey);
        return storedMatches & serverMatches;
    }

    /** {@code Hi()} of RFC 5802 §2.2, which is PBKDF2 (RFC 8018) with {@code dkLen} = the hash length. */
    private static byte[] hi(ScramHash hash, char[] normalized, byte[] salt, int iterations) {
        // SunJCE encodes the password chars as UTF-8, which is what RFC 5802 asks for.
        PBEKeySpec spec = new PBEKeySpec(normalized, salt, iterations, hash.length() * 8);
        try {
            return SecretKeyFactory.getInstance(hash.pbkdf2Algorithm()).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JRE cannot compute " + hash.pbkdf2Algorithm(), e);
        } finally {
            spec.clearPassword();
        }
    }

    private static void wipe(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials other
                && hash == other.hash
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && MessageDigest.isEqual(storedKey, other.storedKey)
                && MessageDigest.isEqual(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hash, iterations, Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "ScramCredentials[hash=" + hash + ", iterations=" + iterations + ", salt="
                + Base64.getEncoder().encodeToString(salt) + "]";
    }
}
