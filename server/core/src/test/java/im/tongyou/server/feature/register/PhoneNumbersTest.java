package im.tongyou.server.feature.register;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Normalisation to E.164 and the phone-number check on usernames, with libphonenumber. */
class PhoneNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000",
        "0086 13800138000"})
    void chineseMobileNumbersHaveOneE164Form(String typed) {
        assertThat(PhoneNumbers.toE164(typed, "CN")).contains("+8613800138000");
    }

    @ParameterizedTest
    @CsvSource({"+14155552671,+14155552671", "+44 20 7946 0018,+442079460018", "00852 6123 4567,+85261234567"})
    void internationalNumbersKeepTheirCountry(String typed, String expected) {
        assertThat(PhoneNumbers.toE164(typed, "CN")).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"(415) 555-2671,US,+14155552671", "020 7946 0018,GB,+442079460018"})
    void theDefaultRegionReadsNationalNumbers(String typed, String region, String expected) {
        assertThat(PhoneNumbers.toE164(typed, region)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "12345", "1380013800", "not a number", "99999999999999999999"})
    void invalidNumbersAreRefused(String typed) {
        assertThat(PhoneNumbers.toE164(typed, "CN")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"13800138000", "8613800138000", "+8613800138000", "romeo13800138000",
        "r.138-0013-8000", "13800138000x", "14155552671", "+14155552671"})
    void usernamesThatAreOrHideNumbersAreCaught(String username) {
        assertThat(PhoneNumbers.looksLikePhoneNumber(username, "CN")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"romeo", "juliet2024", "r2d2", "agent007", "mercutio.1597", "user12"})
    void ordinaryUsernamesPass(String username) {
        assertThat(PhoneNumbers.looksLikePhoneNumber(username, "CN")).isFalse();
    }
}
