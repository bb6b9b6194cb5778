package im.tongyou.server.auth;

import static im.tongyou.server.auth.ScramTestClient.string;
import static im.tongyou.server.auth.ScramTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ScramServerMechanismTest {

    private static final byte[] SHA1_SALT = Base64.getDecoder().decode("QSXCR+Q6sek8bf92");
    private static final byte[] SHA256_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final StoredCredentials PENCIL = new StoredCredentials(
            ScramCredentials.derive(ScramHash.SHA_1, "pencil".toCharArray(), SHA1_SALT, 4096),
            ScramCredentials.derive(ScramHash.SHA_256, "pencil".toCharArray(), SHA256_SALT, 4096),
            false);

    private final Map<String, StoredCredentials> accounts = new HashMap<>(Map.of("user", PENCIL));
    private final UnknownUserDecoys decoys = new UnknownUserDecoys(utf8("a server secret of 32 bytes, ok."), 4096);

    private ScramServerMechanism mechanism(ScramHash hash, String serverNonce) {
        return mechanism(hash, () -> serverNonce);
    }

    private ScramServerMechanism mechanism(ScramHash hash, Supplier<String> nonces) {
        return new ScramServerMechanism(hash, new SaslSettings(name -> Optional.ofNullable(accounts.get(name)), decoys,
                "example.com", nonces), AccountGate.OPEN);
    }

    /** Runs a whole exchange with a client that knows {@code password}. */
    private SaslStep exchange(ScramServerMechanism mechanism, ScramHash hash, String clientFirst, String password)
            throws Exception {
        SaslStep first = mechanism.start(utf8(clientFirst));
        assertThat(first).isInstanceOf(SaslStep.Challenge.class);
        int headerEnd = clientFirst.indexOf(',', clientFirst.indexOf(',') + 1) + 1;
        String clientFinal = ScramTestClient.clientFinal(hash, password, clientFirst.substring(0, headerEnd),
                clientFirst.substring(headerEnd), string(((SaslStep.Challenge) first).data()));
        return mechanism.respond(utf8(clientFinal));
    }

    private static SaslStep.Failure failure(SaslFailure condition) {
        return new SaslStep.Failure(condition, "");
    }

    @Test
    void rfc5802ScramSha1ExampleByteForByte() {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_1, "3rfcNHYJY1ZVvWVs7j");

        SaslStep serverFirst = scram.start(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        SaslStep serverFinal = scram.respond(utf8("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                + "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));

        assertThat(serverFirst).isEqualTo(new SaslStep.Challenge(
                utf8("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")));
        assertThat(serverFinal).isEqualTo(new SaslStep.Success("user", utf8("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")));
        assertThat(scram.authenticatedUsername()).contains("user");
        assertThat(scram.name()).isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void rfc7677ScramSha256ExampleByteForByte() {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_256, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        SaslStep serverFirst = scram.start(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        SaslStep serverFinal = scram.respond(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));

        assertThat(serverFirst).isEqualTo(new SaslStep.Challenge(utf8(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
        assertThat(serverFinal).isEqualTo(new SaslStep.Success("user",
                utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        assertThat(scram.authenticatedUsername()).contains("user");
    }

    @Test
    void onlyTheStepThatLooksTheUserUpMayBlock() {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_1, "3rfcNHYJY1ZVvWVs7j");
        assertThat(scram.nextStepMayBlock()).as("client-first: the credential look-up").isTrue();

        scram.start(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        assertThat(scram.nextStepMayBlock()).as("client-final: HMACs only, run on the event loop").isFalse();

        scram.respond(utf8("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        assertThat(scram.nextStepMayBlock()).isFalse();
    }

    @Test
    void withoutAnInitialResponseTheServerAsksForOne() {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_1, "3rfcNHYJY1ZVvWVs7j");

        assertThat(scram.start(null)).isEqualTo(new SaslStep.Challenge(new byte[0]));
        assertThat(scram.respond(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"))).isEqualTo(new SaslStep.Challenge(
                utf8("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")));
    }

    @Test
    void aWrongPasswordIsNotAuthorized() throws Exception {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_256, "snonce");

        assertThat(exchange(scram, ScramHash.SHA_256, "n,,n=user,r=cnonce", "pen")).isEqualTo(
                failure(SaslFailure.NOT_AUTHORIZED));
        assertThat(scram.authenticatedUsername()).isEmpty();
        assertThat(scram.respond(utf8("c=biws"))).isEqualTo(
                new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "the exchange is over"));
    }

    @Test
    void aTamperedProofIsNotAuthorized() {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_1, "3rfcNHYJY1ZVvWVs7j");
        scram.start(utf8("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));

        assertThat(scram.respond(utf8("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                + "p=v0X8v3Bz2T0CJGbJQyF1X+HI4Ts="))).isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
    }

    @Test
    void anUnknownUserGetsAPlausibleStableSaltAndFailsOnlyAtTheEnd() throws Exception {
        String first = string(((SaslStep.Challenge) mechanism(ScramHash.SHA_256, "snonce")
                .start(utf8("n,,n=nobody,r=cnonce"))).data());
        String again = string(((SaslStep.Challenge) mechanism(ScramHash.SHA_256, "snonce")
                .start(utf8("n,,n=nobody,r=cnonce"))).data());
        String other = string(((SaslStep.Challenge) mechanism(ScramHash.SHA_256, "snonce")
                .start(utf8("n,,n=somebody,r=cnonce"))).data());

        assertThat(first).matches("r=cnoncesnonce,s=[A-Za-z0-9+/]{22}==,i=4096").isEqualTo(again).isNotEqualTo(other);
        assertThat(exchange(mechanism(ScramHash.SHA_256, "snonce"), ScramHash.SHA_256, "n,,n=nobody,r=cnonce", "pencil"))
                .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
    }

    @Test
    void anAccountWithoutCredentialsForTheHashLooksUnknown() throws Exception {
        accounts.put("old", new StoredCredentials(PENCIL.sha1(), null, false));

        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,,n=old,r=c", "pencil"))
                .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
        assertThat(exchange(mechanism(ScramHash.SHA_1, "s"), ScramHash.SHA_1, "n,,n=old,r=c", "pencil"))
                .isInstanceOfSatisfying(SaslStep.Success.class, success -> assertThat(success.authcid()).isEqualTo("old"));
    }

    @Test
    void aDisabledAccountIsReportedOnlyAfterACorrectProof() throws Exception {
        accounts.put("gone", new StoredCredentials(PENCIL.sha1(), PENCIL.sha256(), true));

        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,,n=gone,r=c", "pencil"))
                .isEqualTo(failure(SaslFailure.ACCOUNT_DISABLED));
        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,,n=gone,r=c", "wrong"))
                .isEqualTo(failure(SaslFailure.NOT_AUTHORIZED));
    }

    @Test
    void authzidMustBeTheUserOrTheirBareJid() throws Exception {
        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,a=user,n=user,r=c", "pencil"))
                .isInstanceOf(SaslStep.Success.class);
        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,a=user@EXAMPLE.com,n=user,r=c",
                "pencil")).isInstanceOf(SaslStep.Success.class);
        assertThat(mechanism(ScramHash.SHA_256, "s").start(utf8("n,a=admin,n=user,r=c")))
                .isEqualTo(new SaslStep.Failure(SaslFailure.INVALID_AUTHZID, "the authzid must be your own"));
        assertThat(mechanism(ScramHash.SHA_256, "s").start(utf8("n,a=user@other.org,n=user,r=c")))
                .extracting(step -> ((SaslStep.Failure) step).condition()).isEqualTo(SaslFailure.INVALID_AUTHZID);
    }

    @Test
    void escapedUserNamesAreDecoded() throws Exception {
        accounts.put("us,er=x", PENCIL);

        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,,n=us=2Cer=3Dx,r=c", "pencil"))
                .isInstanceOf(SaslStep.Success.class);
        for (String bad : new String[] {"n,,n=us=41er,r=c", "n,,n=user=,r=c", "n,,n=user=2,r=c", "n,,n==,r=c"}) {
            assertThat(mechanism(ScramHash.SHA_256, "s").start(utf8(bad))).as(bad).isEqualTo(
                    new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "invalid '=' escape in a name"));
        }
    }

    @Test
    void aClientThatSupportsChannelBindingButThinksWeDoNotIsAccepted() throws Exception {
        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "y,,n=user,r=c", "pencil"))
                .isInstanceOf(SaslStep.Success.class);

        ScramServerMechanism scram = mechanism(ScramHash.SHA_256, "s");
        scram.start(utf8("y,,n=user,r=c"));
        assertThat(scram.respond(utf8("c=biws,r=cs,p=" + ScramTestClient.b64(new byte[32]))))
                .isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "channel-bindings-dont-match"));
    }

    @Test
    void channelBindingIsRefused() {
        assertThat(mechanism(ScramHash.SHA_256, "s").start(utf8("p=tls-exporter,,n=user,r=c")))
                .isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "channel binding is not supported"));
    }

    @Test
    void malformedClientFirstMessages() {
        for (String bad : new String[] {
                "", "n,", "n,,", "n,,n=user", "n,,r=c,n=user", "x,,n=user,r=c", "n,b=user,n=user,r=c",
                "n,,m=ext,n=user,r=c", "n,,n=user,r=c,m=ext", "n,,n=user,r=", "n,,n=,r=c", "n,,n=user,r=c,1=x",
                "n,,n=user,r=c\u00e9", "n,,n=user\u0007,r=c", "p=,,n=user,r=c"}) {
            assertThat(mechanism(ScramHash.SHA_256, "s").start(utf8(bad))).as(bad)
                    .extracting(step -> ((SaslStep.Failure) step).condition()).isEqualTo(SaslFailure.MALFORMED_REQUEST);
        }
        assertThat(mechanism(ScramHash.SHA_256, "s").start(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, ',', 'r',
                '=', 'c'})).isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "not UTF-8"));
    }

    @Test
    void extensionsAfterTheMandatoryAttributesAreIgnored() throws Exception {
        assertThat(exchange(mechanism(ScramHash.SHA_256, "s"), ScramHash.SHA_256, "n,,n=user,r=c,x=whatever", "pencil"))
                .isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void malformedClientFinalMessages() {
        String proof = ScramTestClient.b64(new byte[32]);
        Map<String, String> cases = Map.of(
                "c=biws,r=cs", "missing attributes",
                "c=b!ws,r=cs,p=" + proof, "invalid base64 in c=",
                "c=biws,r=cs,p=%%%", "invalid base64 in p=",
                "c=biws,r=xs,p=" + proof, "the nonce does not match",
                "c=biws,r=c,p=" + proof, "the nonce does not match",
                "c=biws,r=cs,m=ext,p=" + proof, "mandatory extensions are not supported",
                "r=cs,c=biws,p=" + proof, "expected attribute c",
                "c=biws,r=cs,p=AAAA", "the proof has the wrong length",
                "c=biws,r=cs,p=" + proof + ",x=y", "expected attribute p");
        cases.forEach((message, text) -> {
            ScramServerMechanism scram = mechanism(ScramHash.SHA_256, "s");
            scram.start(utf8("n,,n=user,r=c"));
            assertThat(scram.respond(utf8(message))).as(message)
                    .isEqualTo(new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, text));
        });
    }

    @Test
    void aFailingLookupIsATemporaryFailure() {
        ScramServerMechanism scram = new ScramServerMechanism(ScramHash.SHA_256, new SaslSettings(name -> {
            throw new IllegalStateException("database down");
        }, decoys, null, () -> "s"), AccountGate.OPEN);

        assertThat(scram.start(utf8("n,,n=user,r=c"))).isEqualTo(failure(SaslFailure.TEMPORARY_AUTH_FAILURE));
    }

    @Test
    void aClosedGateRefusesBeforeTheLookUpAndTheClaimedNameIsKnown() {
        ScramServerMechanism scram = new ScramServerMechanism(ScramHash.SHA_256, new SaslSettings(name -> {
            throw new AssertionError("must not be looked up");
        }, decoys, null, () -> "s"), name -> !name.equals("user"));

        assertThat(scram.start(utf8("n,,n=user,r=c")))
                .isEqualTo(new SaslStep.Failure(SaslFailure.TEMPORARY_AUTH_FAILURE, AuthThrottle.REFUSAL_TEXT));
        assertThat(scram.username()).contains("user");
        assertThat(scram.authenticatedUsername()).isEmpty();
    }

    @Test
    void theClaimedNameIsKnownAfterAFailedProof() throws Exception {
        ScramServerMechanism scram = mechanism(ScramHash.SHA_1, "s");

        assertThat(scram.username()).isEmpty();
        exchange(scram, ScramHash.SHA_1, "n,,n=I=2C\u00ADX,r=c", "wrong");

        assertThat(scram.username()).contains("I,X");
    }

    @Test
    void randomNoncesArePrintableAndFresh() {
        Supplier<String> nonces = ScramServerMechanism.randomNonces(new SecureRandom());
        String one = nonces.get();

        assertThat(one).matches("[A-Za-z0-9+/]{24}").isNotEqualTo(nonces.get());
        assertThatThrownBy(() -> mechanism(ScramHash.SHA_1, "a,b").start(utf8("n,,n=user,r=c")))
                .isInstanceOf(IllegalStateException.class);
    }
}
