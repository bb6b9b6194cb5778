package im.tongyou.server.feature.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The defaults and limits of the registration options. */
class RegisterOptionsTest {

    static RegisterOptions with(Integer validity, Integer attempts, String region, String text) {
        return new RegisterOptions(null, null, region, validity, attempts, null, null, null, null, null, null, text);
    }

    @Test
    void theDefaultsAreTheTongyouFlow() {
        RegisterOptions o = with(null, null, null, null);
        assertThat(o.mode()).isEqualTo(RegisterOptions.Mode.phone);
        assertThat(o.policyVersion()).isEqualTo("V4.2.7");
        assertThat(o.defaultRegion()).isEqualTo("CN");
        assertThat(o.codeValiditySeconds()).isEqualTo(300);
        assertThat(o.maxCodeAttempts()).isEqualTo(5);
        assertThat(o.smsText()).contains("{code}");
    }

    @Test
    void codesCannotBeMadeLongerLivedOrMoreForgivingThanTheRequirements() {
        assertThatThrownBy(() -> with(301, null, null, null)).hasMessageContaining("code-validity-seconds");
        assertThatThrownBy(() -> with(null, 6, null, null)).hasMessageContaining("max-code-attempts");
        assertThatThrownBy(() -> with(null, null, "XX", null)).hasMessageContaining("default-region");
        assertThatThrownBy(() -> with(null, null, null, "no code here")).hasMessageContaining("{code}");
    }
}
