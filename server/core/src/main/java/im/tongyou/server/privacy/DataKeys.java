package im.tongyou.server.privacy;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.storage.Jdbc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * {@link Crypto} with a data key per user (AES-256-GCM), wrapped under a key derived from the
 * {@link MasterKey} and kept in {@code crypto_user_key}; destroying the row's key shreds every value
 * encrypted for that user. The JDK's AES-GCM is used (hardware accelerated); BouncyCastle adds
 * nothing here. Ciphertexts are {@code version (1) | nonce (12) | ciphertext and tag}, with the
 * username as associated data so a value cannot be moved to another user.
 *
 * <p>Keys are cached with a few idle {@link Cipher} objects each: {@code Cipher.getInstance} looks the
 * provider up every time, and initialising a fresh AES cipher expands the key again, which together
 * cost more than encrypting a chat message (JFR, docs/benchmarks.md). A cipher initialised with the
 * key it had before keeps its expanded key, so only the nonce changes between uses.
 */
public final class DataKeys implements Crypto {

    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int CACHE = 4096;
    /** Idle ciphers kept per cached key (about the number of threads that encrypt at once). */
    private static final int IDLE_CIPHERS = 4;

    private final Jdbc jdbc;
    private final MasterKey master;
    private final SecretKey wrapping;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * Nonces from a generator per thread: the default generator reads one shared source under one
     * lock, which every encryption on every thread then waits for (JFR, docs/benchmarks.md).
     */
    private final ThreadLocal<SecureRandom> nonces = ThreadLocal.withInitial(DataKeys::newGenerator);
    /** Bounded by clearing when full: a lock-free map, since every value encrypted looks it up. */
    private final ConcurrentHashMap<String, DataKey> cache = new ConcurrentHashMap<>();

    /** A user's data key with its idle ciphers (taken and given back under the pool's lock). */
    private static final class DataKey {
        final SecretKey key;
        private final ArrayDeque<Cipher> idle = new ArrayDeque<>(IDLE_CIPHERS);

        DataKey(SecretKey key) {
            this.key = key;
        }

        Cipher take() {
            synchronized (idle) {
                Cipher c = idle.poll();
                if (c != null) {
                    return c;
                }
            }
            return newCipher();
        }

        void giveBack(Cipher c) {
            synchronized (idle) {
                if (idle.size() < IDLE_CIPHERS) {
                    idle.push(c);
                }
            }
        }
    }

    public DataKeys(DataSource dataSource, MasterKey master, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.master = master;
        this.wrapping = new SecretKeySpec(master.derive("tongyou data-key wrapping v1"), "AES");
        this.clock = clock;
    }

    @Override
    public byte[] encrypt(String username, byte[] plaintext) {
        DataKey key = keyFor(username, true).orElseThrow(() ->
                new IllegalStateException("the data key of " + username + " was destroyed"));
        Cipher cipher = key.take();
        byte[] sealed = seal(cipher, key.key, plaintext, username);
        key.giveBack(cipher); // not after a failure: its state is then unknown
        return sealed;
    }

    @Override
    public byte[] decrypt(String username, byte[] ciphertext) throws KeyDestroyedException {
        DataKey key = keyFor(username, false).orElseThrow(() -> new KeyDestroyedException(username));
        Cipher cipher = key.take();
        byte[] plain = open(cipher, key.key, ciphertext, username);
        key.giveBack(cipher);
        return plain;
    }

    @Override
    public byte[] keyedHash(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master.derive("tongyou keyed hash v1: " + purpose), "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /**
     * Destroys the key: the user's row goes, and a row named by a keyed hash of the username takes
     * its place, so that no key is ever made again for the name's old data and no row holds the
     * name in clear (AC-13).
     */
    @Override
    public void destroyKey(String username) {
        cache.remove(username);
        String shredded = shreddedName(username);
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM crypto_user_key WHERE username = ?", username);
            if (Jdbc.query(c, "SELECT 1 FROM crypto_user_key WHERE username = ?", rs -> 1, shredded).isEmpty()) {
                Jdbc.update(c, "INSERT INTO crypto_user_key (username, wrapped_key, created_at, destroyed_at) "
                        + "VALUES (?, NULL, ?, ?)", shredded, clock.instant(), clock.instant());
            }
            return null;
        });
    }

    /** Whether the user's key was destroyed. */
    public boolean isDestroyed(String username) {
        return jdbc.queryOne("SELECT 1 FROM crypto_user_key WHERE username = ?", rs -> 1, shreddedName(username))
                .isPresent();
    }

    private String shreddedName(String username) {
        return "shredded:" + java.util.HexFormat.of().formatHex(keyedHash("data-key-destroyed", username));
    }

    /** Whether the user's key exists and is not destroyed; for tests and the export. */
    public boolean hasKey(String username) {
        return jdbc.queryOne("SELECT wrapped_key IS NOT NULL FROM crypto_user_key WHERE username = ?",
                rs -> rs.getBoolean(1), username).orElse(false);
    }

    private Optional<DataKey> keyFor(String username, boolean create) {
        DataKey cached = cache.get(username);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<byte[]> rows = jdbc.query("SELECT wrapped_key FROM crypto_user_key WHERE username = ?",
                rs -> { byte[] k = rs.getBytes(1); return k == null ? new byte[0] : k; }, username);
        SecretKey key;
        if (!rows.isEmpty()) {
            if (rows.get(0).length == 0) {
                return Optional.empty(); // destroyed
            }
            key = new SecretKeySpec(open(newCipher(), wrapping, rows.get(0), "key:" + username), "AES");
        } else if (create && !isDestroyed(username)) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            key = new SecretKeySpec(raw, "AES");
            try {
                jdbc.update("INSERT INTO crypto_user_key (username, wrapped_key, created_at) VALUES (?, ?, ?)",
                        username, seal(newCipher(), wrapping, raw, "key:" + username), clock.instant());
            } catch (RuntimeException e) {
                // Another thread made the key first: use that one.
                return keyFor(username, false);
            }
        } else {
            return Optional.empty();
        }
        DataKey entry = new DataKey(key);
        if (cache.size() >= CACHE) {
            cache.clear();
        }
        cache.put(username, entry);
        return Optional.of(entry);
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG"); // NIST SP 800-90A, seeded from the system's entropy
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private byte[] seal(Cipher cipher, SecretKey key, byte[] plaintext, String associated) {
        try {
            byte[] nonce = new byte[NONCE];
            nonces.get().nextBytes(nonce);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private static byte[] open(Cipher cipher, SecretKey key, byte[] ciphertext, String associated) {
        if (ciphertext.length < 1 + NONCE + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new IllegalArgumentException("not a ciphertext of this server");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 1, NONCE));
            cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(ciphertext, 1 + NONCE, ciphertext.length - 1 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the ciphertext does not verify (wrong key or tampered)", e);
        }
    }
}
