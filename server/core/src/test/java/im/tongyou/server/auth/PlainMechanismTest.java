package im.tongyou.server.auth;

import static im.tongyou.server.auth.ScramTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlainMechanismTest {

    private static final byte[] SALT = utf8("0123456789abcdef");
    private static final ScramCredentials SHA1 = ScramCredentials.derive(ScramHash.SHA_1, "pencil".toCharArray(), SALT,
            4096);
    private static final ScramCredentials SHA256 = ScramCredentials.derive(ScramHash.SHA_256, "pencil".toCharArray(),
            SALT, 4096);

    private final Map<String, StoredCredentials> accounts = new HashMap<>(Map.of(
            "user", new StoredCredentials(SHA1, SHA256, false),
            "legacy", new StoredCredentials(SHA1, null, false),
            "gone", new StoredCredentials(SHA1, SHA256, true)));
    private final UnknownUserDecoys decoys = new UnknownUserDecoys(utf8("a server secret of 32 bytes, ok."), 4096);

    private PlainMechanism plain() {
        return new PlainMechanism(new SaslSettings(name -> Optional.ofNullable(accounts.get(name)), decoys,
                "example.com", () -> "n"), AccountGate.OPEN);
    }

    private SaslStep login(String message) {
        return plain().start(utf8(message));
    }

    private static SaslStep.Failure failure(SaslFailure condition) {
        return new SaslStep.Failure(condition, "");
    }

    @Test
    void theRightPasswordSucceeds() {
        PlainMechanism plain = plain();

        assertThat(plain.start(utf8("\0user\0pencil"))).isEqualTo(new SaslStep.Success("user", new byte[0]));
        assertThat(plain.authenticatedUsername()).contains("user");
        assertThat(plain.name()).isEqualTo("PLAIN");
    }

    @Test
    void sha1CredentialsAreUsedWhenThereAreNoOthers() {
        assertThat(login("\0legacy\0pencil")).isEqualTo(new SaslStep.Success("legacy", new byte[0]));
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailAlike() {
        assertThat(login("\0user\0Pencil")).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
        assertThat(login("\0nobody\0pencil")).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
        assertThat(login("\0user\0pencil\u0007")).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
        assertThat(login("\0us\u0007er\0pencil")).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
    }

    @Test
    void aDisabledAccountIsReportedOnlyWithTheRightPassword() {
        assertThat(login("\0gone\0pencil")).isEqualTo(failure(SaslFailure.ACCOUNT_DISABLED));
        assertThat(login("\0gone\0wrong")).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
    }

    @Test
    void theAuthzidMustBeTheUserItself() {
        assertThat(login("user\0user\0pencil")).isInstanceOf(SaslStep.Success.class);
        assertThat(login("user@example.com\0user\0pencil")).isInstanceOf(SaslStep.Success.class);
        assertThat(login("admin\0user\0pencil"))
                .isEqualTo(new SaslStep.Failure(SaslFailure.INVALID_AUTHZID, "the authzid must be your own"));
        assertThat(login("admin@example.com\0user\0pencil")).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void malformedMessages() {
        for (String bad : new String[] {"", "user", "\0user", "\0user\0", "\0\0pencil", "\0user\0pencil\0", "a\0b\0c\0d"}) {
            assertThat(login(bad)).as(bad.replace('\0', '|'))
                    .extracting(step -> ((SaslStep.Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
        }
        assertThat(plain().start(new byte[] {0, 'u', 0, (byte) 0xFF}))
                .isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "not UTF-8"));
    }

    @Test
    void withoutAnInitialResponseTheServerAsksForOneAndTheExchangeEndsOnce() {
        PlainMechanism plain = plain();

        assertThat(plain.start(null)).isEqualTo(new SaslStep.Challenge(new byte[0]));
        assertThat(plain.respond(utf8("\0user\0pencil"))).isInstanceOf(SaslStep.Success.class);
        assertThat(plain.respond(utf8("\0user\0pencil")))
                .isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "the exchange is over"));
    }

    @Test
    void theResponseHoldingThePasswordIsWiped() {
        byte[] response = utf8("\0user\0pencil");

        plain().start(response);

        assertThat(response).containsOnly(0);
    }

    @Test
    void aClosedGateRefusesBeforeTheLookUp() {
        PlainMechanism plain = new PlainMechanism(new SaslSettings(name -> {
            throw new AssertionError("must not be looked up");
        }, decoys, null, () -> "n"), name -> false);

        assertThat(plain.start(utf8("\0user\0pencil")))
                .isEqualTo(new SaslStep.Failure(SaslFailure.TEMPORARY_AUTH_FAILURE, AuthThrottle.REFUSAL_TEXT));
        assertThat(plain.username()).contains("user");
    }

    @Test
    void theClaimedNameIsKnownAfterAFailure() {
        PlainMechanism plain = plain();

        plain.start(utf8("\0nobody\0pencil"));

        assertThat(plain.username()).contains("nobody");
        assertThat(plain.authenticatedUsername()).isEmpty();
    }

    @Test
    void aFailingLookupIsATemporaryFailure() {
        PlainMechanism plain = new PlainMechanism(new SaslSettings(name -> {
            throw new IllegalStateException("database down");
        }, decoys, null, () -> "n"), AccountGate.OPEN);

        assertThat(plain.start(utf8("\0user\0pencil"))).isEqualTo(failure(SaslFailure.TEMPORARY_AUTH_FAILURE));
    }
}
