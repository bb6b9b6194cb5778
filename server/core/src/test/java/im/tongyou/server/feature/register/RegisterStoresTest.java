package im.tongyou.server.feature.register;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.sms.SmsException;
import im.tongyou.server.TestClock;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registration stores on the real changelog, on H2 and PostgreSQL: one account per number,
 * the stores of personal data (export and erasure), purge of expired codes, and no plaintext number,
 * birthday or code in any cell.
 */
class RegisterStoresTest {

    static final String PHONE = "+8613800138000";

    @TempDir
    Path dir;
    Database database;
    DataKeys crypto;
    RegistrationStore registrations;
    SmsCodeStore codeStore;
    SmsCodes codes;
    RegisterSubjectData.Users users;
    final TestClock clock = new TestClock();
    final List<String> sent = new ArrayList<>();

    void open(TestDatabases.Kind kind) {
        database = Database.open(TestDatabases.config(kind, dir));
        database.applyChangelog("im/tongyou/server/feature/register/changelog.xml", getClass().getClassLoader());
        crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), clock);
        registrations = new RegistrationStore(database.dataSource());
        codeStore = new SmsCodeStore(database.dataSource());
        codes = new SmsCodes(codeStore, crypto, (number, text) -> sent.add(number + " " + text), clock,
                new RegisterOptions(null, null, null, null, null, null, null, null, null, null, null, null));
        users = new RegisterSubjectData.Users(registrations, crypto);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    boolean register(String user, String phone) {
        return registrations.insert(user, crypto.keyedHash(RegisterIqHandler.PHONE_PURPOSE, phone),
                crypto.encrypt(user, phone.getBytes(StandardCharsets.UTF_8)),
                crypto.encrypt(user, "2001-05-17".getBytes(StandardCharsets.UTF_8)), clock.instant(), "V4.2.7");
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void oneAccountPerNumberAndTheRecordsReadBack(TestDatabases.Kind kind) {
        open(kind);
        assertThat(register("romeo", PHONE)).isTrue();
        assertThat(register("juliet", PHONE)).as("the unique key refuses a second account").isFalse();
        assertThat(registrations.find("juliet")).isEmpty();
        assertThat(registrations.acceptances("juliet")).isEmpty();
        assertThat(registrations.phoneTaken(crypto.keyedHash(RegisterIqHandler.PHONE_PURPOSE, PHONE))).isTrue();
        assertThat(users.phoneNumber("romeo")).contains(PHONE);
        assertThat(users.birthday("romeo")).contains(LocalDate.of(2001, 5, 17));
        assertThat(registrations.acceptances("romeo")).singleElement().satisfies(a -> {
            assertThat(a.version()).isEqualTo("V4.2.7");
            assertThat(a.acceptedAt()).isEqualTo(clock.instant());
        });
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void theBirthdayReadAtEveryLoginFollowsRegistrationCorrectionAndErasure(TestDatabases.Kind kind) {
        open(kind);
        assertThat(users.birthday("juliet")).isEmpty(); // kept in memory: no registration
        assertThat(users.birthday("juliet")).isEmpty();

        register("juliet", "+8613800138001");
        assertThat(users.birthday("juliet")).contains(LocalDate.of(2001, 5, 17));

        assertThat(users.correctBirthday("juliet", LocalDate.of(2014, 3, 1))).isTrue();
        assertThat(users.birthday("juliet")).contains(LocalDate.of(2014, 3, 1));
        assertThat(users.correctBirthday("juliet", LocalDate.of(2001, 5, 17))).isTrue();
        assertThat(users.birthday("juliet")).contains(LocalDate.of(2001, 5, 17));

        users.erase("juliet");
        assertThat(users.birthday("juliet")).isEmpty();
        assertThat(users.phoneNumber("juliet")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void exportShowsTheUsersOwnDataAndErasureRemovesEveryRow(TestDatabases.Kind kind) throws Exception {
        open(kind);
        register("romeo", PHONE);
        codes.issue(PHONE, "192.0.2.1");
        RegisterSubjectData.Acceptances acceptances = new RegisterSubjectData.Acceptances(registrations);
        RegisterSubjectData.Codes codeData = new RegisterSubjectData.Codes(users, codeStore, codes);

        assertThat(users.export("romeo")).containsEntry("phoneNumber", PHONE).containsEntry("birthday", "2001-05-17");
        assertThat(acceptances.export("romeo")).extractingByKey("acceptances").asList().hasSize(1);
        assertThat(codeData.export("romeo")).extractingByKey("codes").asList().singleElement()
                .satisfies(row -> {
                    Map<?, ?> map = (Map<?, ?>) row;
                    assertThat(map.get("used")).isEqualTo(false);
                    assertThat(map.containsKey("code")).isFalse();
                });
        assertThat(users.tables()).isEqualTo(Set.of("register_user"));

        // The registry erases the newest provider first: codes, acceptances, then the number.
        codeData.erase("romeo");
        acceptances.erase("romeo");
        users.erase("romeo");
        users.erase("romeo"); // idempotent

        assertThat(count("register_user") + count("register_policy_acceptance") + count("register_sms_code")).isZero();
        assertThat(users.export("romeo")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void noCellHoldsTheNumberTheBirthdayOrTheCode(TestDatabases.Kind kind) throws Exception {
        open(kind);
        register("romeo", PHONE);
        codes.issue(PHONE, "192.0.2.1");
        String code = sent.get(0).replaceAll(".*?(\\d{6}).*", "$1");

        List<String> cells = cells();
        assertThat(cells).isNotEmpty().contains("romeo");
        for (String secret : List.of("13800138000", "2001-05-17", code)) {
            assertThat(cells).noneMatch(c -> c.contains(secret));
        }
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void expiredCodesArePurged(TestDatabases.Kind kind) throws Exception {
        open(kind);
        codes.issue(PHONE, "192.0.2.1");
        clock.advance(Duration.ofSeconds(299));
        assertThat(codes.purgeExpired()).isZero();
        assertThat(codeStore.oldestCreated()).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(codes.purgeExpired()).isEqualTo(1);
        assertThat(count("register_sms_code")).isZero();
    }

    @ParameterizedTest
    @MethodSource("im.tongyou.server.storage.TestDatabases#available")
    void aFailedSmsLeavesNoCode(TestDatabases.Kind kind) {
        open(kind);
        SmsCodes failing = new SmsCodes(codeStore, crypto, (number, text) -> {
            throw new SmsException("gateway down", null);
        }, clock, new RegisterOptions(null, null, null, null, null, null, null, null, null, null, null, null));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.issue(PHONE, "192.0.2.1"))
                .hasMessageContaining("service-unavailable");
        assertThat(count("register_sms_code")).isZero();
    }

    long count(String table) {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> cells() throws Exception {
        List<String> cells = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("register_user", "register_policy_acceptance", "register_sms_code",
                    "crypto_user_key")) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            cells.add(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v));
                        }
                    }
                }
            }
        }
        return cells;
    }
}
