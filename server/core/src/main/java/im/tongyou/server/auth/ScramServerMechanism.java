package im.tongyou.server.auth;

import im.tongyou.server.auth.ScramMessages.ClientFinal;
import im.tongyou.server.auth.ScramMessages.ClientFirst;
import im.tongyou.server.auth.ScramMessages.MalformedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of SCRAM-SHA-1 and SCRAM-SHA-256 without channel binding
 * (<a href="https://www.rfc-editor.org/rfc/rfc5802#section-5">RFC 5802 §5</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7677">RFC 7677</a>).
 *
 * <p>An unknown user gets a server-first-message of the same shape as a real one, with a decoy
 * salt and the default iteration count from {@link UnknownUserDecoys}, and fails with
 * {@code not-authorized} only after the client-final-message, exactly as a wrong password does.
 * A disabled account fails with {@code account-disabled}, but only after a correct proof.
 */
public final class ScramServerMechanism implements SaslMechanism {

    private static final Logger LOG = LoggerFactory.getLogger(ScramServerMechanism.class);
    private static final int NONCE_BYTES = 18;

    private final ScramHash hash;
    private final SaslSettings settings;
    private final AccountGate gate;
    private State state = new AwaitingClientFirst();
    private String username;
    private String authenticatedUsername;

    private sealed interface State permits AwaitingClientFirst, AwaitingClientFinal, Finished {
    }

    private record AwaitingClientFirst() implements State {
    }

    /** After the server-first-message; {@code account} is empty for an unknown user. */
    private record AwaitingClientFinal(String username, Optional<StoredCredentials> account,
                                       ScramCredentials credentials, String gs2Header, String nonce,
                                       String authMessagePrefix) implements State {
    }

    private record Finished() implements State {
    }

    /**
     * @param hash     the hash of this mechanism
     * @param settings the look-up, decoys, domain and nonce source shared by all exchanges
     * @param gate     asked before the account is looked up
     */
    public ScramServerMechanism(ScramHash hash, SaslSettings settings, AccountGate gate) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    /**
     * Server nonces of 18 random bytes in base 64 (24 characters, 144 bits): unpredictable, and
     * printable without ',' as RFC 5802 §7 requires of a nonce.
     */
    public static Supplier<String> randomNonces(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return () -> {
            byte[] bytes = new byte[NONCE_BYTES];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        };
    }

    @Override
    public String name() {
        return hash.mechanismName();
    }

    @Override
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    @Override
    public Optional<String> authenticatedUsername() {
        return Optional.ofNullable(authenticatedUsername);
    }

    @Override
    public SaslStep start(byte[] initialResponse) {
        if (!(state instanceof AwaitingClientFirst)) {
            return fail(SaslFailure.MALFORMED_REQUEST, "the exchange has already started");
        }
        // SCRAM is client-first: without an initial response, an empty challenge asks for one
        // (RFC 6120 §6.4.2, RFC 4422 §5).
        return initialResponse == null ? new SaslStep.Challenge(new byte[0]) : respond(initialResponse);
    }

    /** Only the client-first message looks the user up; the client-final one is HMACs and a digest. */
    @Override
    public boolean nextStepMayBlock() {
        return state instanceof AwaitingClientFirst;
    }

    @Override
    public SaslStep respond(byte[] response) {
        if (response == null) {
            return fail(SaslFailure.MALFORMED_REQUEST, "no response");
        }
        try {
            State current = state;
            if (current instanceof AwaitingClientFirst) {
                return clientFirst(ScramMessages.parseClientFirst(ScramMessages.utf8(response)));
            } else if (current instanceof AwaitingClientFinal awaiting) {
                return clientFinal(awaiting, ScramMessages.parseClientFinal(ScramMessages.utf8(response)));
            }
            return fail(SaslFailure.MALFORMED_REQUEST, "the exchange is over");
        } catch (MalformedException e) {
            return fail(SaslFailure.MALFORMED_REQUEST, e.getMessage());
        }
    }

    private SaslStep clientFirst(ClientFirst message) throws MalformedException {
        if (message.cbindFlag() == 'p') {
            // "p" asks for channel binding, which only the -PLUS variants carry; we offer none yet
            // (RFC 5802 §6; server-error "channel-binding-not-supported").
            return fail(SaslFailure.MALFORMED_REQUEST, "channel binding is not supported");
        }
        // TODO: once -PLUS variants are offered, "y" must fail: the client thinks we do not support
        // channel binding, which means someone removed the -PLUS names on the way (RFC 5802 §6).
        String prepared;
        try {
            prepared = SaslPrep.prepareQuery(message.username());
        } catch (IllegalArgumentException e) {
            throw new MalformedException("the user name fails SASLprep");
        }
        if (prepared.isEmpty()) {
            throw new MalformedException("empty user name");
        }
        username = prepared;
        if (!Authzids.permits(message.authzid(), prepared, settings.domain())) {
            return fail(SaslFailure.INVALID_AUTHZID, "the authzid must be your own");
        }
        if (!gate.mayAttempt(prepared)) {
            return fail(SaslFailure.TEMPORARY_AUTH_FAILURE, AuthThrottle.REFUSAL_TEXT);
        }
        Optional<StoredCredentials> account;
        try {
            account = settings.lookup().find(prepared);
        } catch (RuntimeException e) {
            LOG.warn("Credential lookup failed during {}", name(), e);
            return fail(SaslFailure.TEMPORARY_AUTH_FAILURE, "");
        }
        Optional<ScramCredentials> stored = account.flatMap(a -> a.get(hash));
        // An account without credentials for this hash looks exactly like an unknown user.
        ScramCredentials credentials = stored.orElseGet(() -> settings.decoys().credentials(hash, prepared));
        String nonce = message.clientNonce() + serverNonce();
        String serverFirst = "r=" + nonce
                + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations();
        state = new AwaitingClientFinal(prepared, stored.isPresent() ? account : Optional.empty(), credentials,
                message.gs2Header(), nonce, message.bare() + "," + serverFirst + ",");
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private SaslStep clientFinal(AwaitingClientFinal awaiting, ClientFinal message) throws MalformedException {
        // Without channel binding, c= carries the gs2-header alone: "biws" for "n,,".
        if (!MessageDigest.isEqual(message.channelBinding(), awaiting.gs2Header().getBytes(StandardCharsets.UTF_8))) {
            throw new MalformedException("channel-bindings-dont-match");
        }
        if (!message.nonce().equals(awaiting.nonce())) {
            throw new MalformedException("the nonce does not match");
        }
        if (message.proof().length != hash.length()) {
            throw new MalformedException("the proof has the wrong length");
        }
        // AuthMessage     := client-first-message-bare + "," + server-first-message + ","
        //                    + client-final-message-without-proof
        // ClientSignature := HMAC(StoredKey, AuthMessage)
        // ClientKey       := ClientProof XOR ClientSignature, and the server checks H(ClientKey) = StoredKey
        byte[] authMessage = (awaiting.authMessagePrefix() + message.withoutProof()).getBytes(StandardCharsets.UTF_8);
        ScramCredentials credentials = awaiting.credentials();
        byte[] clientKey = hash.hmac(credentials.storedKey(), authMessage);
        byte[] proof = message.proof();
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        boolean proofMatches = MessageDigest.isEqual(hash.digest(clientKey), credentials.storedKey());
        if (!proofMatches || awaiting.account().isEmpty()) {
            return fail(SaslFailure.NOT_AUTHORIZED, "");
        }
        if (awaiting.account().get().disabled()) {
            return fail(SaslFailure.ACCOUNT_DISABLED, "");
        }
        // ServerSignature := HMAC(ServerKey, AuthMessage), sent as v= with <success/>.
        byte[] serverSignature = hash.hmac(credentials.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        state = new Finished();
        authenticatedUsername = awaiting.username();
        return new SaslStep.Success(awaiting.username(), serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private String serverNonce() {
        String nonce = settings.nonces().get();
        if (nonce == null || nonce.isEmpty() || !nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != ',')) {
            throw new IllegalStateException("the nonce supplier must give printable ASCII without ','");
        }
        return nonce;
    }

    private SaslStep fail(SaslFailure condition, String text) {
        state = new Finished();
        return new SaslStep.Failure(condition, text);
    }
}
