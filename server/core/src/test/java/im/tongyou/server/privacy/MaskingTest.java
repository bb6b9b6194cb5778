package im.tongyou.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import im.tongyou.api.privacy.Masking;
import org.junit.jupiter.api.Test;

/** The masking helpers (R-SEC-5): phone as 138****1234, ID numbers with first and last only. */
class MaskingTest {

    @Test
    void phoneNumbersShowThreeDigitsFourStarsAndTheLastFour() {
        assertThat(Masking.phone("+8613812345678")).isEqualTo("138****5678");
        assertThat(Masking.phone("13812345678")).isEqualTo("138****5678");
        assertThat(Masking.phone("+86 138 1234 5678")).isEqualTo("138****5678");
        assertThat(Masking.phone("+14155550123")).matches("\\d{3}\\*{4}\\d{4}");
        assertThat(Masking.phone("12345")).isEqualTo("***45");
        assertThat(Masking.phone(null)).isNull();
    }

    @Test
    void idNumbersShowOnlyTheFirstAndLastCharacter() {
        assertThat(Masking.idNumber("11010519491231002X")).isEqualTo("1****************X");
        assertThat(Masking.idNumber("ab")).isEqualTo("**");
    }

    @Test
    void emailsAndNames() {
        assertThat(Masking.email("romeo@example.cn")).isEqualTo("r***@example.cn");
        assertThat(Masking.name("张三丰")).isEqualTo("张**");
    }

    @Test
    void freeTextIsScrubbedOfPhoneNumbersIdNumbersAndEmails() {
        String line = "call 13812345678 or +8613987654321, id 11010519491231002X, mail romeo@example.cn at 2026-11-29";

        assertThat(Masking.text(line)).isEqualTo(
                "call 138****5678 or 139****4321, id 1****************X, mail r***@example.cn at 2026-11-29");
    }
}
