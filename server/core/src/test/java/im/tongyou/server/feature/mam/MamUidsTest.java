package im.tongyou.server.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.privacy.Crypto;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** UIDs derived from the order key (XEP-0313 §3): unique, not guessable from each other, and decoded back. */
class MamUidsTest {

    /** Only the keyed hash matters here: a server secret per purpose. */
    private static Crypto crypto(String secret) {
        return new Crypto() {
            @Override
            public byte[] encrypt(String username, byte[] plaintext) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] decrypt(String username, byte[] ciphertext) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] keyedHash(String purpose, String value) {
                try {
                    return MessageDigest.getInstance("SHA-256")
                            .digest((secret + purpose + value).getBytes(StandardCharsets.UTF_8));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void destroyKey(String username) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void consecutiveOrderKeysGiveUnrelatedUidsThatDecodeBack() {
        MamUids uids = new MamUids(crypto("server one"));
        Set<String> seen = new HashSet<>();
        long first = MamIds.firstIdAt(1_700_000_000_000L);
        for (long id = first; id < first + 1000; id++) {
            String uid = uids.of(id);
            assertThat(uid).hasSize(MamUids.LENGTH).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(uid)).isTrue();
            assertThat(uids.idOf(uid)).isEqualTo(id);
        }
        // Neighbours share no visible structure: no common prefix of the key's high bits.
        assertThat(uids.of(first).substring(0, 4)).isNotEqualTo(uids.of(first + 1).substring(0, 4));
    }

    @Test
    void aForgedMistypedOrForeignUidIsNotDecoded() {
        MamUids uids = new MamUids(crypto("server one"));
        String uid = uids.of(MamIds.firstIdAt(1_700_000_000_000L) + 7);
        char last = uid.charAt(3);
        String mistyped = uid.substring(0, 3) + (last == 'A' ? 'B' : 'A') + uid.substring(4);
        assertThat(uids.idOf(mistyped)).isNull();
        assertThat(uids.idOf("Zq3legacyRandomUid0A")).as("an older random UID").isNull();
        assertThat(uids.idOf("not base64 at all!!!!!")).isNull();
        assertThat(uids.idOf(null)).isNull();
        assertThat(new MamUids(crypto("server two")).idOf(uid)).as("another server's key").isNull();
    }
}
