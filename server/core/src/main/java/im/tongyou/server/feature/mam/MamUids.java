package im.tongyou.server.feature.mam;

import im.tongyou.api.privacy.Crypto;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The public UID of an archived message (XEP-0313 §3: it "MUST be unpredictable and unique within
 * the archive"; XEP-0359 §4) as the archive's order key encrypted under a server key: one AES block
 * of the 8-byte key and 8 zero bytes, in URL-safe base64 (22 characters). The block cipher is a
 * permutation, so UIDs are unique because order keys are, and nobody without the key can predict
 * one; the server turns a UID back into its key without an index on UIDs, which kept every archived
 * row costly to insert (docs/benchmarks.md). The zero half authenticates a UID (a forged or mistyped
 * one decodes with other bytes there, 2^-64 odds otherwise). UIDs given before these (20 random
 * characters) do not decode and are looked up in the table.
 */
final class MamUids {

    static final int LENGTH = 22;
    private static final byte[] ZERO = new byte[8];

    /** Per thread: a shared cipher would be one more lock every archived message passes. */
    private final ThreadLocal<Cipher> encrypt;
    private final ThreadLocal<Cipher> decrypt;

    MamUids(Crypto crypto) {
        // A server secret for this purpose only, derived from the master key through the keyed hash.
        SecretKeySpec key = new SecretKeySpec(crypto.keyedHash("mam-uid", "aes-256 key v1"), "AES");
        encrypt = ThreadLocal.withInitial(() -> cipher(Cipher.ENCRYPT_MODE, key));
        decrypt = ThreadLocal.withInitial(() -> cipher(Cipher.DECRYPT_MODE, key));
        encrypt.get(); // fails at start, not at the first message, if AES is missing
    }

    private static Cipher cipher(int mode, SecretKeySpec key) {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(mode, key);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /** The UID of the message with this order key. */
    String of(long id) {
        byte[] block = ByteBuffer.allocate(16).putLong(id).put(ZERO).array();
        byte[] sealed = run(encrypt.get(), block);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The order key a UID of {@link #of} stands for, or {@code null} when it is not one. */
    Long idOf(String uid) {
        if (uid == null || uid.length() != LENGTH) {
            return null;
        }
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(uid);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (sealed.length != 16) {
            return null;
        }
        byte[] block = run(decrypt.get(), sealed);
        if (!Arrays.equals(block, 8, 16, ZERO, 0, 8)) {
            return null;
        }
        long id = ByteBuffer.wrap(block).getLong();
        // The encoder gives one text per block; reject other spellings of it (padding bits set).
        return id > 0 && of(id).equals(uid) ? id : null;
    }

    private static byte[] run(Cipher cipher, byte[] block) {
        try {
            return cipher.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed on one block", e);
        }
    }
}
