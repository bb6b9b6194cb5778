package im.tongyou.server.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of SASL PLAIN, {@code [authzid] NUL authcid NUL passwd}
 * (<a href="https://www.rfc-editor.org/rfc/rfc4616#section-2">RFC 4616 §2</a>), checked against
 * the account's SCRAM keys by deriving them from the password sent.
 *
 * <p>PLAIN sends the password itself, so it may only be offered once TLS protects the stream
 * (RFC 6120 §6.4.2 and our design rules); {@link SaslMechanisms} enforces that, answering
 * {@code encryption-required} otherwise. Deriving runs PBKDF2 with the stored
 * iteration count; an unknown user gets the same work on decoy credentials, so the time taken does
 * not reveal whether the account exists.
 */
public final class PlainMechanism implements SaslMechanism {

    /** The mechanism name. */
    public static final String NAME = "PLAIN";

    private static final Logger LOG = LoggerFactory.getLogger(PlainMechanism.class);

    private final SaslSettings settings;
    private final AccountGate gate;
    private Phase phase = Phase.AWAITING_MESSAGE;
    private String username;
    private String authenticatedUsername;

    private enum Phase { AWAITING_MESSAGE, FINISHED }

    /**
     * @param settings the look-up, decoys and domain shared by all exchanges
     * @param gate     asked before the account is looked up
     */
    public PlainMechanism(SaslSettings settings, AccountGate gate) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        // PLAIN is client-first: without an initial response, an empty challenge asks for one.
        return initialResponse == null && phase == Phase.AWAITING_MESSAGE
                ? new SaslStep.Challenge(new byte[0])
                : respond(initialResponse);
    }

    @Override
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    @Override
    public Optional<String> authenticatedUsername() {
        return Optional.ofNullable(authenticatedUsername);
    }

    /** Verifies the message and overwrites {@code response}, which holds the password. */
    @Override
    public SaslStep respond(byte[] response) {
        if (phase == Phase.FINISHED || response == null) {
            return fail(SaslFailure.MALFORMED_REQUEST, response == null ? "no response" : "the exchange is over");
        }
        phase = Phase.FINISHED;
        char[] password = null;
        try {
            // message = [authzid] UTF8NUL authcid UTF8NUL passwd, and none of the three holds NUL.
            int first = indexOfNul(response, 0);
            int second = first < 0 ? -1 : indexOfNul(response, first + 1);
            if (second < 0 || indexOfNul(response, second + 1) >= 0) {
                return fail(SaslFailure.MALFORMED_REQUEST, "expected [authzid] NUL authcid NUL passwd");
            }
            String authzid = decodeString(response, 0, first);
            String authcid = decodeString(response, first + 1, second);
            password = decodeChars(response, second + 1, response.length);
            if (authzid == null || authcid == null || password == null) {
                return fail(SaslFailure.MALFORMED_REQUEST, "not UTF-8");
            }
            if (authcid.isEmpty() || password.length == 0) {
                return fail(SaslFailure.MALFORMED_REQUEST, "authcid and passwd must not be empty");
            }
            return verify(authzid, authcid, password);
        } finally {
            Arrays.fill(response, (byte) 0);
            SaslPrep.wipe(password);
        }
    }

    private SaslStep verify(String authzid, String rawAuthcid, char[] password) {
        String authcid;
        try {
            // RFC 4616 §4: a name that fails SASLprep, or prepares to nothing, fails verification.
            authcid = SaslPrep.prepareQuery(rawAuthcid);
        } catch (IllegalArgumentException e) {
            return fail(SaslFailure.NOT_AUTHORIZED, "");
        }
        if (authcid.isEmpty()) {
            return fail(SaslFailure.NOT_AUTHORIZED, "");
        }
        username = authcid;
        if (!Authzids.permits(authzid, authcid, settings.domain())) {
            return fail(SaslFailure.INVALID_AUTHZID, "the authzid must be your own");
        }
        if (!gate.mayAttempt(authcid)) {
            return fail(SaslFailure.TEMPORARY_AUTH_FAILURE, AuthThrottle.REFUSAL_TEXT);
        }
        Optional<StoredCredentials> account;
        try {
            account = settings.lookup().find(authcid);
        } catch (RuntimeException e) {
            LOG.warn("Credential lookup failed during PLAIN", e);
            return fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "");
        }
        Optional<ScramCredentials> stored = account.flatMap(StoredCredentials::strongest);
        if (stored.isEmpty()) {
            // Spend the same PBKDF2 work as for a real account, then fail the same way.
            settings.decoys().credentials(ScramHash.SHA_256, authcid).verifyPlain(password);
            return fail(SaslFailure.NOT_AUTHORIZED, "");
        }
        if (!stored.get().verifyPlain(password)) {
            return fail(SaslFailure.NOT_AUTHORIZED, "");
        }
        if (account.get().disabled()) {
            return fail(SaslFailure.ACCOUNT_DISABLED, "");
        }
        authenticatedUsername = authcid;
        return new SaslStep.Success(authcid, new byte[0]);
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String decodeString(byte[] bytes, int from, int to) {
        char[] chars = decodeChars(bytes, from, to);
        return chars == null ? null : new String(chars);
    }

    /** Decodes strict UTF-8 into a fresh array, wiping the intermediate buffer; null if not UTF-8. */
    private static char[] decodeChars(byte[] bytes, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // UTF-8 never yields more UTF-16 chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(to - from);
        try {
            CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, from, to - from), out, true);
            if (result.isError() || decoder.flush(out).isError()) {
                return null;
            }
            return Arrays.copyOf(out.array(), out.position());
        } finally {
            Arrays.fill(out.array(), '\0');
        }
    }

    private SaslStep fail(SaslFailure condition, String text) {
        phase = Phase.FINISHED;
        return new SaslStep.Failure(condition, text);
    }
}
