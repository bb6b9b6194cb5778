package im.tongyou.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal SCRAM client for tests, written straight from RFC 5802 §3 with its own {@code Hi()},
 * so that it checks the server rather than sharing its code.
 */
final class ScramTestClient {

    private ScramTestClient() {
    }

    /** {@code Hi(str, salt, i)} exactly as RFC 5802 §2.2 defines it. */
    static byte[] hi(ScramHash hash, byte[] str, byte[] salt, int iterations) throws Exception {
        Mac mac = Mac.getInstance(hash.hmacAlgorithm());
        mac.init(new SecretKeySpec(str, hash.hmacAlgorithm()));
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int n = 1; n < iterations; n++) {
            u = mac.doFinal(u);
            for (int k = 0; k < result.length; k++) {
                result[k] ^= u[k];
            }
        }
        return result;
    }

    static byte[] hmac(ScramHash hash, byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance(hash.hmacAlgorithm());
        mac.init(new SecretKeySpec(key, hash.hmacAlgorithm()));
        return mac.doFinal(data);
    }

    /** Attributes of a server message, by name. */
    static Map<Character, String> attributes(String message) {
        Map<Character, String> map = new HashMap<>();
        for (String attribute : message.split(",")) {
            map.put(attribute.charAt(0), attribute.substring(2));
        }
        return map;
    }

    /**
     * The client-final-message for a password (ASCII, so that SASLprep is the identity here).
     *
     * @param gs2Header the gs2-header the client-first-message started with
     */
    static String clientFinal(ScramHash hash, String password, String gs2Header, String clientFirstBare,
                              String serverFirst) throws Exception {
        Map<Character, String> server = attributes(serverFirst);
        String withoutProof = "c=" + b64(gs2Header.getBytes(StandardCharsets.UTF_8)) + ",r=" + server.get('r');
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] salted = hi(hash, password.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(server.get('s')),
                Integer.parseInt(server.get('i')));
        byte[] clientKey = hmac(hash, salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = MessageDigest.getInstance(hash.digestAlgorithm()).digest(clientKey);
        byte[] signature = hmac(hash, storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) {
            proof[k] = (byte) (clientKey[k] ^ signature[k]);
        }
        return withoutProof + ",p=" + b64(proof);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
