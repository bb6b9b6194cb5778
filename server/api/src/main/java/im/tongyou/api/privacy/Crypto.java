package im.tongyou.api.privacy;

/**
 * Encryption of sensitive fields at rest (design guide §6): AES-GCM under a data key per user,
 * wrapped by the server's master key, and keyed hashes for look-ups that must not store the
 * plaintext (a phone number, say). Destroying a user's key makes every copy of their encrypted data
 * unreadable (crypto-shredding).
 */
public interface Crypto {

    /** Encrypts a value under the user's data key (created on first use). Blocking. */
    byte[] encrypt(String username, byte[] plaintext);

    /**
     * Decrypts a value encrypted by {@link #encrypt}; blocking.
     *
     * @throws KeyDestroyedException when the user's key was destroyed
     */
    byte[] decrypt(String username, byte[] ciphertext) throws KeyDestroyedException;

    /**
     * A keyed hash (HMAC-SHA-256 under a server key derived for the purpose) for equality look-ups,
     * so that the table holds no plaintext. The same purpose and value give the same hash.
     */
    byte[] keyedHash(String purpose, String value);

    /** Destroys the user's data key; their encrypted values can never be read again. Blocking. */
    void destroyKey(String username);

    /** The data key of a user was destroyed: their encrypted data is gone for good. */
    final class KeyDestroyedException extends Exception {
        public KeyDestroyedException(String username) {
            super("the data key of " + username + " was destroyed");
        }
    }
}
