package im.tongyou.server.auth;

import static im.tongyou.server.auth.ScramTestClient.hmac;
import static im.tongyou.server.auth.ScramTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ScramCredentialsTest {

    private static final byte[] RFC5802_SALT = Base64.getDecoder().decode("QSXCR+Q6sek8bf92");
    private static final byte[] RFC7677_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    @Test
    void deriveFollowsRfc5802WithTheRfc6070TestVectorForHi() throws Exception {
        // RFC 6070 §2: PBKDF2-HMAC-SHA1, P = "password", S = "salt", c = 4096, dkLen = 20.
        byte[] salted = HexFormat.of().parseHex("4b007901b765489abead49d926f721d065a429c1");
        byte[] clientKey = hmac(ScramHash.SHA_1, salted, utf8("Client Key"));

        ScramCredentials credentials = ScramCredentials.derive(ScramHash.SHA_1, "password".toCharArray(),
                utf8("salt"), 4096);

        assertThat(credentials.storedKey()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(clientKey));
        assertThat(credentials.serverKey()).isEqualTo(hmac(ScramHash.SHA_1, salted, utf8("Server Key")));
    }

    @Test
    void deriveMatchesAnIndependentHiForSha256() throws Exception {
        byte[] salted = ScramTestClient.hi(ScramHash.SHA_256, utf8("pencil"), RFC7677_SALT, 4096);

        ScramCredentials credentials = ScramCredentials.derive(ScramHash.SHA_256, "pencil".toCharArray(),
                RFC7677_SALT, 4096);

        byte[] clientKey = hmac(ScramHash.SHA_256, salted, utf8("Client Key"));
        assertThat(credentials.storedKey()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(clientKey));
        assertThat(credentials.serverKey()).isEqualTo(hmac(ScramHash.SHA_256, salted, utf8("Server Key")));
    }

    @Test
    void deriveGivesTheRfcServerSignatures() {
        // The AuthMessage of RFC 5802 §5 and RFC 7677 §3, signed with the derived ServerKey, gives
        // the v= of their server-final-messages.
        String sha1AuthMessage = "n=user,r=fyko+d2lbbFgONRv9qkxdawL,"
                + "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,"
                + "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";
        ScramCredentials sha1 = ScramCredentials.derive(ScramHash.SHA_1, "pencil".toCharArray(), RFC5802_SALT, 4096);
        assertThat(ScramHash.SHA_1.hmac(sha1.serverKey(), utf8(sha1AuthMessage)))
                .isEqualTo(Base64.getDecoder().decode("rmF9pqV8S7suAoZWja4dJRkFsKQ="));

        String sha256AuthMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
                + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
                + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        ScramCredentials sha256 = ScramCredentials.derive(ScramHash.SHA_256, "pencil".toCharArray(), RFC7677_SALT,
                4096);
        assertThat(ScramHash.SHA_256.hmac(sha256.serverKey(), utf8(sha256AuthMessage)))
                .isEqualTo(Base64.getDecoder().decode("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    @Test
    void passwordsAreNormalizedWithSaslPrep() {
        ScramCredentials plain = ScramCredentials.derive(ScramHash.SHA_256, "IX".toCharArray(), RFC7677_SALT, 10);
        assertThat(ScramCredentials.derive(ScramHash.SHA_256, "I\u00ADX".toCharArray(), RFC7677_SALT, 10))
                .isEqualTo(plain);
        assertThat(ScramCredentials.derive(ScramHash.SHA_256, "\u2168".toCharArray(), RFC7677_SALT, 10))
                .isEqualTo(plain);
    }

    @Test
    void verifyPlainAcceptsOnlyTheRightPassword() {
        char[] password = "pencil".toCharArray();
        ScramCredentials credentials = ScramCredentials.derive(ScramHash.SHA_256, password, RFC7677_SALT, 4096);

        assertThat(password).containsExactly("pencil".toCharArray());
        assertThat(credentials.verifyPlain("pencil".toCharArray())).isTrue();
        assertThat(credentials.verifyPlain("Pencil".toCharArray())).isFalse();
        assertThat(credentials.verifyPlain("pencil\u0007".toCharArray())).isFalse();
        assertThat(credentials.verifyPlain(new char[0])).isFalse();
    }

    @Test
    void refusesEmptyPasswordsSaltsAndBadKeys() {
        assertThatThrownBy(() -> ScramCredentials.derive(ScramHash.SHA_1, new char[0], RFC5802_SALT, 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredentials.derive(ScramHash.SHA_1, "x".toCharArray(), new byte[0], 4096))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScramCredentials(ScramHash.SHA_256, RFC5802_SALT, 4096, new byte[20],
                new byte[20])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arraysAreCopiedAndKeysStayOutOfToString() {
        byte[] salt = RFC5802_SALT.clone();
        ScramCredentials credentials = ScramCredentials.derive(ScramHash.SHA_1, "pencil".toCharArray(), salt, 16);
        salt[0] ^= 1;
        credentials.storedKey()[0] ^= 1;

        assertThat(credentials.salt()).isEqualTo(RFC5802_SALT);
        assertThat(credentials).isEqualTo(
                ScramCredentials.derive(ScramHash.SHA_1, "pencil".toCharArray(), RFC5802_SALT, 16));
        assertThat(credentials.toString()).doesNotContain(Base64.getEncoder().encodeToString(credentials.storedKey()))
                .doesNotContain(Base64.getEncoder().encodeToString(credentials.serverKey()));
    }
}
