package im.tongyou.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-1 (RFC 5802 §3, §5), without channel binding ("n,,"). The salted
 * password is cached per (password, salt, iterations), as real clients do, so that the
 * generator's PBKDF2 does not become the bottleneck of a login benchmark; the cache can be kept
 * in a file between runs. The HMAC and digest objects are kept per thread (a JCA provider look-up
 * per use showed in the generator's profile) and the nonce comes from {@link ThreadLocalRandom}: it
 * only has to be unique per exchange here, not unpredictable, and a benchmark need not pay for a
 * {@code SecureRandom} (whose default reads {@code /dev/urandom} under a lock).
 */
final class Scram {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static final List<String> ADDED = new ArrayList<>();
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private final String password;
    private String clientFirstBare;
    private String nonce;
    private byte[] serverSignature;

    Scram(String password) {
        this.password = password;
    }

    String clientFirst(String username) {
        byte[] n = new byte[18];
        ThreadLocalRandom.current().nextBytes(n);
        nonce = Base64.getEncoder().encodeToString(n);
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        return "n,," + clientFirstBare;
    }

    String clientFinal(String serverFirst) throws GeneralSecurityException {
        String r = null;
        String s = null;
        int i = 0;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                r = part.substring(2);
            } else if (part.startsWith("s=")) {
                s = part.substring(2);
            } else if (part.startsWith("i=")) {
                i = Integer.parseInt(part.substring(2));
            }
        }
        if (r == null || s == null || i <= 0 || !r.startsWith(nonce)) {
            throw new GeneralSecurityException("bad server-first-message");
        }
        byte[] salted = salted(s, i);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = SHA1.get().digest(clientKey);
        String withoutProof = "c=biws,r=" + r;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) {
            proof[k] = (byte) (clientKey[k] ^ signature[k]);
        }
        serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** RFC 5802 §3: the client checks the server's signature in server-final-message. */
    boolean verify(String serverFinal) {
        return serverFinal.equals("v=" + Base64.getEncoder().encodeToString(serverSignature));
    }

    private byte[] salted(String salt, int iterations) throws GeneralSecurityException {
        String key = password + "\t" + salt + "\t" + iterations;
        byte[] cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(salt), iterations, 160);
        byte[] value = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        if (CACHE.putIfAbsent(key, value) == null) {
            synchronized (ADDED) {
                ADDED.add(key);
            }
        }
        return value;
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = HMAC.get();
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** Loads a cache file written by {@link #save}: lines of password, salt, iterations, key. */
    static void load(Path file) throws java.io.IOException {
        if (file == null || !Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            int last = line.lastIndexOf('\t');
            if (last > 0) {
                CACHE.put(line.substring(0, last), Base64.getDecoder().decode(line.substring(last + 1)));
            }
        }
    }

    /** Appends the entries computed by this process to the cache file. */
    static void save(Path file) throws java.io.IOException {
        if (file == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        synchronized (ADDED) {
            for (String key : ADDED) {
                out.append(key).append('\t').append(Base64.getEncoder().encodeToString(CACHE.get(key))).append('\n');
            }
            ADDED.clear();
        }
        Files.writeString(file, out, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
