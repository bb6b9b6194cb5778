package im.tongyou.server.feature.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.TestClock;
import im.tongyou.server.privacy.DataKeys;
import im.tongyou.server.privacy.MasterKey;
import im.tongyou.server.storage.Database;
import im.tongyou.server.storage.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmpp.packet.PacketError;

/** The rules of SMS codes (R-SEC-3, {@code xeps/tongyou-register.md} Errors) on a real H2 store. */
class SmsCodesTest {

    static final String PHONE = "+8613912345678";

    @TempDir
    Path dir;
    Database database;
    SmsCodes codes;
    final TestClock clock = new TestClock();
    final List<String> texts = new ArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.config(TestDatabases.Kind.H2, dir));
        database.applyChangelog("im/tongyou/server/feature/register/changelog.xml", getClass().getClassLoader());
        DataKeys crypto = new DataKeys(database.dataSource(), MasterKey.load(dir), clock);
        codes = new SmsCodes(new SmsCodeStore(database.dataSource()), crypto, (n, t) -> texts.add(t), clock,
                new RegisterOptions(null, null, null, null, 3, 60, 3, 5, 3600, null, null, "code {code}, {minutes} min"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    String lastCode() {
        Matcher m = Pattern.compile("\\d{6}").matcher(texts.get(texts.size() - 1));
        assertThat(m.find()).isTrue();
        return m.group();
    }

    static String other(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    static void assertRefused(ThrowingCall call, PacketError.Condition condition, String element) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StanzaErrorException.class, e -> {
            assertThat(e.condition()).isEqualTo(condition);
            assertThat(e.toPacketError().getApplicationConditionName()).isEqualTo(element);
        });
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aCodeIsSixDigitsValidFiveMinutesAndUsedOnce() throws Exception {
        RegisterElement.CodeSent sent = codes.issue(PHONE, "192.0.2.1");
        assertThat(sent).isEqualTo(new RegisterElement.CodeSent(300, 3, 60));
        assertThat(texts.get(0)).matches("code \\d{6}, 5 min");
        codes.verify(PHONE, lastCode());
        assertRefused(() -> codes.verify(PHONE, lastCode()), PacketError.Condition.not_authorized, "code-used");
    }

    @Test
    void wrongCodesCountUntilTheCodeIsBurnt() throws Exception {
        codes.issue(PHONE, "192.0.2.1");
        String code = lastCode();
        for (int i = 0; i < 3; i++) {
            assertRefused(() -> codes.verify(PHONE, other(code)), PacketError.Condition.not_authorized, "code-mismatch");
        }
        assertRefused(() -> codes.verify(PHONE, code), PacketError.Condition.not_allowed, "too-many-attempts");
    }

    @Test
    void aCodeExpiresAndANewOneReplacesIt() throws Exception {
        codes.issue(PHONE, "192.0.2.1");
        String first = lastCode();
        clock.advance(Duration.ofSeconds(300));
        assertRefused(() -> codes.verify(PHONE, first), PacketError.Condition.not_authorized, "code-expired");
        codes.issue(PHONE, "192.0.2.1");
        String second = lastCode();
        if (!second.equals(first)) {
            assertRefused(() -> codes.verify(PHONE, first), PacketError.Condition.not_authorized, "code-mismatch");
        }
        codes.verify(PHONE, second);
    }

    @Test
    void aNumberWithoutACodeIsToldToRequestOne() {
        assertRefused(() -> codes.verify(PHONE, "123456"), PacketError.Condition.not_authorized, "no-code");
    }

    @Test
    void requestsAreLimitedPerNumberAndPerAddress() throws Exception {
        codes.issue(PHONE, "192.0.2.1");
        assertRefused(() -> codes.issue(PHONE, "192.0.2.2"), PacketError.Condition.resource_constraint, "rate-limited");
        clock.advance(Duration.ofSeconds(60));
        codes.issue(PHONE, "192.0.2.2");
        clock.advance(Duration.ofSeconds(60));
        codes.issue(PHONE, "192.0.2.3");
        clock.advance(Duration.ofSeconds(60));
        assertRefused(() -> codes.issue(PHONE, "192.0.2.4"), PacketError.Condition.resource_constraint, "rate-limited");

        for (int i = 0; i < 5; i++) {
            codes.issue("+861391234560" + i, "198.51.100.7");
        }
        assertRefused(() -> codes.issue("+8613912345609", "198.51.100.7"), PacketError.Condition.resource_constraint,
                "rate-limited");
        codes.issue("+8613912345609", "198.51.100.8");
        clock.advance(Duration.ofHours(1));
        codes.issue(PHONE, "192.0.2.4");
    }
}
