package im.tongyou.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Parses the two client messages of SCRAM against the grammar of
 * <a href="https://www.rfc-editor.org/rfc/rfc5802#section-7">RFC 5802 §7</a>. Attribute order is
 * fixed: "the order of attributes in client or server messages is fixed, with the exception of
 * extension attributes" (§5.1), which may only follow the mandatory ones.
 */
final class ScramMessages {

    /** A message that does not follow the grammar; the text is safe to send to the client. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A parsed client-first-message.
     *
     * @param cbindFlag   {@code n}, {@code y} or {@code p}
     * @param gs2Header   the gs2-header exactly as sent, which c= must repeat
     * @param authzid     the decoded authzid, or {@code null} if absent
     * @param username    the decoded user name, before SASLprep
     * @param clientNonce the client's nonce
     * @param bare        the client-first-message-bare, part of the AuthMessage
     */
    record ClientFirst(char cbindFlag, String gs2Header, String authzid, String username, String clientNonce,
                       String bare) {
    }

    /**
     * A parsed client-final-message.
     *
     * @param channelBinding the decoded c= value
     * @param nonce          the r= value
     * @param proof          the decoded p= value
     * @param withoutProof   the client-final-message-without-proof, part of the AuthMessage
     */
    record ClientFinal(byte[] channelBinding, String nonce, byte[] proof, String withoutProof) {
    }

    private ScramMessages() {
    }

    /** Decodes UTF-8 strictly: SCRAM messages are UTF-8 (RFC 5802 §5) and malformed sequences are refused. */
    static String utf8(byte[] bytes) throws MalformedException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException("not UTF-8");
        }
    }

    static ClientFirst parseClientFirst(String message) throws MalformedException {
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        int firstComma = message.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : message.indexOf(',', firstComma + 1);
        if (secondComma < 0) {
            throw new MalformedException("missing gs2-header");
        }
        String flag = message.substring(0, firstComma);
        char cbindFlag;
        if (flag.equals("n") || flag.equals("y")) {
            cbindFlag = flag.charAt(0);
        } else if (flag.startsWith("p=") && flag.length() > 2) {
            cbindFlag = 'p';
        } else {
            throw new MalformedException("invalid gs2-cbind-flag");
        }
        String authzidField = message.substring(firstComma + 1, secondComma);
        String authzid = null;
        if (!authzidField.isEmpty()) {
            if (!authzidField.startsWith("a=")) {
                throw new MalformedException("invalid authzid field");
            }
            authzid = decodeSaslName(authzidField.substring(2));
        }
        String bare = message.substring(secondComma + 1);
        // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
        String[] attributes = bare.split(",", -1);
        rejectMandatoryExtension(attributes);
        if (attributes.length < 2) {
            throw new MalformedException("missing attributes");
        }
        String username = decodeSaslName(value(attributes[0], 'n'));
        String nonce = nonce(value(attributes[1], 'r'));
        checkExtensions(attributes, 2, attributes.length);
        return new ClientFirst(cbindFlag, message.substring(0, secondComma + 1), authzid, username, nonce, bare);
    }

    static ClientFinal parseClientFinal(String message) throws MalformedException {
        // client-final-message = channel-binding "," nonce ["," extensions] "," proof
        String[] attributes = message.split(",", -1);
        rejectMandatoryExtension(attributes);
        if (attributes.length < 3) {
            throw new MalformedException("missing attributes");
        }
        byte[] channelBinding = base64(value(attributes[0], 'c'), "c");
        String nonce = nonce(value(attributes[1], 'r'));
        checkExtensions(attributes, 2, attributes.length - 1);
        String proofAttribute = attributes[attributes.length - 1];
        byte[] proof = base64(value(proofAttribute, 'p'), "p");
        String withoutProof = message.substring(0, message.length() - proofAttribute.length() - 1);
        return new ClientFinal(channelBinding, nonce, proof, withoutProof);
    }

    /**
     * "m: This attribute is reserved for future extensibility. In this version of SCRAM, its
     * presence in a client or a server message MUST cause authentication failure when the
     * attribute is parsed by the other end." (RFC 5802 §5.1)
     */
    private static void rejectMandatoryExtension(String[] attributes) throws MalformedException {
        for (String attribute : attributes) {
            if (attribute.startsWith("m=")) {
                throw new MalformedException("mandatory extensions are not supported");
            }
        }
    }

    /** Optional extensions, {@code attr-val = ALPHA "=" value}, are checked for form and ignored. */
    private static void checkExtensions(String[] attributes, int from, int to) throws MalformedException {
        for (int i = from; i < to; i++) {
            String attribute = attributes[i];
            if (attribute.length() < 3 || !isAsciiLetter(attribute.charAt(0)) || attribute.charAt(1) != '='
                    || attribute.indexOf('\0') >= 0) {
                throw new MalformedException("invalid attribute");
            }
        }
    }

    private static String value(String attribute, char name) throws MalformedException {
        if (attribute.length() < 3 || attribute.charAt(0) != name || attribute.charAt(1) != '=') {
            throw new MalformedException("expected attribute " + name);
        }
        return attribute.substring(2);
    }

    /** {@code c-nonce = 1*printable}, {@code printable = %x21-2B / %x2D-7E}: printable ASCII but ','. */
    private static String nonce(String value) throws MalformedException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new MalformedException("invalid nonce");
            }
        }
        return value;
    }

    private static byte[] base64(String value, String attribute) throws MalformedException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedException("invalid base64 in " + attribute + "=");
        }
    }

    /**
     * Decodes a saslname: "The characters ',' or '=' in usernames are sent as '=2C' and '=3D'
     * respectively. If the server receives a username that contains '=' not followed by either
     * '2C' or '3D', then the server MUST fail the authentication." (RFC 5802 §5.1). ABNF strings
     * are case-insensitive, so {@code =2c} and {@code =3d} are accepted too.
     */
    static String decodeSaslName(String encoded) throws MalformedException {
        StringBuilder decoded = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '\0') {
                throw new MalformedException("NUL in a name");
            }
            if (c != '=') {
                decoded.append(c);
                continue;
            }
            String escape = i + 3 <= encoded.length() ? encoded.substring(i + 1, i + 3) : "";
            if (escape.equalsIgnoreCase("2C")) {
                decoded.append(',');
            } else if (escape.equalsIgnoreCase("3D")) {
                decoded.append('=');
            } else {
                throw new MalformedException("invalid '=' escape in a name");
            }
            i += 2;
        }
        if (decoded.length() == 0) {
            throw new MalformedException("empty name");
        }
        return decoded.toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
