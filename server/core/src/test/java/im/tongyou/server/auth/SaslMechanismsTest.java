package im.tongyou.server.auth;

import static im.tongyou.server.auth.ScramTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {

    private static final SaslSettings SETTINGS = new SaslSettings(name -> Optional.empty(),
            new UnknownUserDecoys(new byte[32], 4096), "example.com", ScramServerMechanism.randomNonces(new SecureRandom()));

    private final SaslMechanisms mechanisms = new SaslMechanisms(List.of("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"),
            SETTINGS);

    @Test
    void plainIsOfferedOnlyOnEncryptedStreams() {
        assertThat(mechanisms.offered(true)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        assertThat(mechanisms.offered(false)).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-1");
    }

    @Test
    void selectGivesAFreshExchangeOfTheNamedMechanism() {
        SaslMechanism one = mechanisms.select("SCRAM-SHA-1", false, AccountGate.OPEN);

        assertThat(one).isInstanceOf(ScramServerMechanism.class)
                .isNotSameAs(mechanisms.select("SCRAM-SHA-1", false, AccountGate.OPEN));
        assertThat(one.name()).isEqualTo("SCRAM-SHA-1");
        assertThat(mechanisms.select("PLAIN", true, AccountGate.OPEN)).isInstanceOf(PlainMechanism.class);
    }

    @Test
    void plainWithoutEncryptionAndUnknownNamesFailAtOnce() {
        assertThat(mechanisms.select("PLAIN", false, AccountGate.OPEN).start(utf8("\0user\0pencil")))
                .isEqualTo(new SaslStep.Failure(SaslFailure.ENCRYPTION_REQUIRED, ""));
        assertThat(mechanisms.select("DIGEST-MD5", true, AccountGate.OPEN).start(null))
                .isEqualTo(new SaslStep.Failure(SaslFailure.INVALID_MECHANISM, ""));
        assertThat(mechanisms.select(null, true, AccountGate.OPEN).start(null))
                .isEqualTo(new SaslStep.Failure(SaslFailure.INVALID_MECHANISM, ""));
    }

    @Test
    void onlyEnabledMechanismsAreOfferedAndUnknownOnesAreRefused() {
        SaslMechanisms scramOnly = new SaslMechanisms(List.of("SCRAM-SHA-256"), SETTINGS);

        assertThat(scramOnly.offered(true)).containsExactly("SCRAM-SHA-256");
        assertThat(scramOnly.select("PLAIN", true, AccountGate.OPEN).start(null))
                .isEqualTo(new SaslStep.Failure(SaslFailure.INVALID_MECHANISM, ""));
        assertThatThrownBy(() -> new SaslMechanisms(List.of("CRAM-MD5"), SETTINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CRAM-MD5");
    }

    @Test
    void failureConditionsCarryTheirRfc6120ElementNames() {
        assertThat(SaslFailure.values()).extracting(SaslFailure::elementName).containsExactly(
                "aborted", "account-disabled", "credentials-expired", "encryption-required", "incorrect-encoding",
                "invalid-authzid", "invalid-mechanism", "malformed-request", "mechanism-too-weak", "not-authorized",
                "temporary-auth-failure");
    }
}
