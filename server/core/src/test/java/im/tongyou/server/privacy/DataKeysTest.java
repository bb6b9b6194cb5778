package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.privacy.Crypto;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Per-user data keys on a real database: encryption, keyed hashes and crypto-shredding. */
class DataKeysTest {

    @TempDir
    Path dir;
    Database database;
    DataKeys keys;

    void open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        keys = new DataKeys(database.dataSource(), MasterKey.load(dir), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void valuesRoundTripAndTheCiphertextHidesThem(TestDatabases.Kind kind) throws Exception {
        open(kind);
        byte[] sealed = keys.encrypt("romeo", utf8("13812345678"));

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("13812345678");
        assertThat(keys.decrypt("romeo", sealed)).isEqualTo(utf8("13812345678"));
        assertThat(keys.encrypt("romeo", utf8("13812345678"))).isNotEqualTo(sealed); // fresh nonce each time
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aValueCannotBeMovedToAnotherUser(TestDatabases.Kind kind) {
        open(kind);
        byte[] sealed = keys.encrypt("romeo", utf8("secret"));
        keys.encrypt("juliet", utf8("warm-up"));

        assertThatThrownBy(() -> keys.decrypt("juliet", sealed)).isInstanceOf(IllegalArgumentException.class);
        byte[] tampered = Arrays.copyOf(sealed, sealed.length);
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> keys.decrypt("romeo", tampered)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void destroyingTheKeyShredsEveryCopy(TestDatabases.Kind kind) throws Exception {
        open(kind);
        byte[] sealed = keys.encrypt("romeo", utf8("wherefore"));
        byte[] backup = sealed.clone();

        keys.destroyKey("romeo");

        assertThat(keys.hasKey("romeo")).isFalse();
        assertThatThrownBy(() -> keys.decrypt("romeo", backup)).isInstanceOf(Crypto.KeyDestroyedException.class);
        assertThatThrownBy(() -> keys.encrypt("romeo", utf8("again"))).isInstanceOf(IllegalStateException.class);
        // A new server instance on the same database and master key cannot read it either.
        DataKeys restarted = new DataKeys(database.dataSource(), MasterKey.load(dir), Clock.systemUTC());
        assertThatThrownBy(() -> restarted.decrypt("romeo", backup)).isInstanceOf(Crypto.KeyDestroyedException.class);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void keysSurviveARestartAndNeedTheMasterKey(TestDatabases.Kind kind) throws Exception {
        open(kind);
        byte[] sealed = keys.encrypt("romeo", utf8("balcony"));

        DataKeys restarted = new DataKeys(database.dataSource(), MasterKey.load(dir), Clock.systemUTC());
        assertThat(restarted.decrypt("romeo", sealed)).isEqualTo(utf8("balcony"));

        DataKeys otherMaster = new DataKeys(database.dataSource(), MasterKey.of(new byte[32]), Clock.systemUTC());
        assertThatThrownBy(() -> otherMaster.decrypt("romeo", sealed)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void keyedHashesAreStablePerPurposeAndDifferAcrossPurposes(TestDatabases.Kind kind) {
        open(kind);

        assertThat(keys.keyedHash("phone", "+8613812345678")).isEqualTo(keys.keyedHash("phone", "+8613812345678"))
                .isNotEqualTo(keys.keyedHash("phone", "+8613812345679"))
                .isNotEqualTo(keys.keyedHash("id-number", "+8613812345678"))
                .hasSize(32);
        DataKeys otherMaster = new DataKeys(database.dataSource(), MasterKey.of(new byte[32]), Clock.systemUTC());
        assertThat(otherMaster.keyedHash("phone", "+8613812345678")).isNotEqualTo(keys.keyedHash("phone", "+8613812345678"));
    }
}
