package im.tongyou.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.callback.CallbackHandler;
import org.jivesoftware.smack.SASLAuthentication;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.sasl.SASLMechanism;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 §3, RFC 7677) for Smack. Smack 4.5 offers only
 * SCRAM-SHA-1: its generic {@code ScramMechanism} hard-codes SHA-1 for H(ClientKey), so it cannot be
 * parameterised. This plugs the missing mechanism into Smack's own SASL machinery; the server side
 * is checked byte for byte against RFC 7677's example in the core's unit tests.
 */
public final class SmackScramSha256 extends SASLMechanism {

    public static final String NAME = "SCRAM-SHA-256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private String clientFirstBare;
    private String clientNonce;
    private byte[] expectedServerSignature;
    private boolean verified;

    /** Registers the mechanism with Smack once; later calls do nothing. */
    public static synchronized void register() {
        if (!SASLAuthentication.isSaslMechanismRegistered(NAME)) {
            SASLAuthentication.registerSASLMechanism(new SmackScramSha256());
        }
    }

    @Override
    protected void authenticateInternal(CallbackHandler cbh) {
        throw new UnsupportedOperationException("SCRAM needs a password");
    }

    @Override
    protected byte[] getAuthenticationText() {
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        clientNonce = Base64.getEncoder().withoutPadding().encodeToString(nonce);
        String user = saslPrep(authenticationId).replace("=", "=3D").replace(",", "=2C");
        clientFirstBare = "n=" + user + ",r=" + clientNonce;
        return toBytes("n,," + clientFirstBare);
    }

    @Override
    protected byte[] evaluateChallenge(byte[] challenge) throws SmackException.SmackSaslException {
        String message = new String(challenge, StandardCharsets.UTF_8);
        Map<Character, String> attributes = parse(message);
        if (attributes.containsKey('v')) {
            // The server-final message, delivered with <success/>.
            verified = MessageDigest.isEqual(expectedServerSignature, Base64.getDecoder().decode(attributes.get('v')));
            return null;
        }
        String nonce = attributes.get('r');
        if (nonce == null || !nonce.startsWith(clientNonce)) {
            throw new SmackException.SmackSaslException("the server nonce does not extend ours");
        }
        try {
            byte[] salt = Base64.getDecoder().decode(attributes.get('s'));
            int iterations = Integer.parseInt(attributes.get('i'));
            byte[] salted = hi(saslPrep(password), salt, iterations);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String withoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + message + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return toBytes(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SmackException.SmackSaslException(e);
        }
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getPriority() {
        return 100; // ahead of Smack's SCRAM-SHA-1 (110): lower is preferred
    }

    @Override
    protected void checkIfSuccessfulOrThrow() throws SmackException.SmackSaslException {
        if (!verified) {
            throw new SmackException.SmackSaslException("the server signature did not verify");
        }
    }

    @Override
    protected SASLMechanism newInstance() {
        return new SmackScramSha256();
    }

    private static Map<Character, String> parse(String message) {
        Map<Character, String> attributes = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.put(part.charAt(0), part.substring(2));
            }
        }
        return attributes;
    }

    private static byte[] hi(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
