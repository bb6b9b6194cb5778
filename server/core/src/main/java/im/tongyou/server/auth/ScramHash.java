package im.tongyou.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash functions of the SCRAM family that we support, with their SASL mechanism names
 * (<a href="https://www.rfc-editor.org/rfc/rfc5802#section-4">RFC 5802 §4</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7677#section-3">RFC 7677 §3</a>).
 */
public enum ScramHash {

    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 20),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32);

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final String pbkdf2Algorithm;
    private final int length;
    /** One engine per thread: looking a provider up per login cost more than the hashing itself. */
    private final ThreadLocal<MessageDigest> digests;
    private final ThreadLocal<Mac> macs;

    ScramHash(String mechanismName, String digestAlgorithm, String hmacAlgorithm, String pbkdf2Algorithm,
              int length) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.pbkdf2Algorithm = pbkdf2Algorithm;
        this.length = length;
        this.digests = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance(digestAlgorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JRE lacks " + digestAlgorithm, e);
            }
        });
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                return Mac.getInstance(hmacAlgorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JRE lacks " + hmacAlgorithm, e);
            }
        });
    }

    /** The SASL mechanism name, for example {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The JCA {@link MessageDigest} name: {@code H()} in RFC 5802 §2.2. */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** The JCA {@link Mac} name: {@code HMAC()} in RFC 5802 §2.2. */
    public String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** The JCA {@code SecretKeyFactory} name computing {@code Hi()} of RFC 5802 §2.2 (PBKDF2). */
    public String pbkdf2Algorithm() {
        return pbkdf2Algorithm;
    }

    /** The output length of the hash in bytes, which is also the length of every SCRAM key. */
    public int length() {
        return length;
    }

    /** Finds the hash for a SASL mechanism name (case-sensitive, as SASL names are upper case). */
    public static Optional<ScramHash> forMechanism(String mechanismName) {
        for (ScramHash hash : values()) {
            if (hash.mechanismName.equals(mechanismName)) {
                return Optional.of(hash);
            }
        }
        return Optional.empty();
    }

    /** {@code H(data)}. */
    public byte[] digest(byte[] data) {
        MessageDigest digest = digests.get();
        digest.reset();
        return digest.digest(data);
    }

    /** {@code HMAC(key, data)}. */
    public byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = macs.get();
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JRE cannot compute " + hmacAlgorithm, e);
        }
    }
}
