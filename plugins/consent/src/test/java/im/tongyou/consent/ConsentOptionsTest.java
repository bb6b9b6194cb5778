package im.tongyou.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.tongyou.server.config.ConfigLoader;
import im.tongyou.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The consent plugin's options: the shipped configuration lists it with its defaults; bad values stop the start. */
class ConsentOptionsTest {

    static final Path SHIPPED = Path.of("../../conf/tongyou.yml");

    @Test
    void theShippedConfigurationEnablesThePluginWithItsDefaults() {
        ServerConfig config = ConfigLoader.load(SHIPPED, Map.of(), Map.of());
        assertThat(config.plugins()).containsKey("consent");
        assertThat(config.plugins().get("consent").enabled()).isTrue();
        ConsentOptions shipped = ConfigLoader.bindPluginOptions(SHIPPED, "consent",
                config.plugins().get("consent").options(), ConsentOptions.class);
        assertThat(shipped).isEqualTo(new ConsentOptions(null, null, null, null, null, null, null, null, null, null));
        assertThat(shipped.pendingGuardianDays()).isEqualTo(7);
        assertThat(shipped.guardianSmsText()).contains("{code}");
    }

    @Test
    void valuesOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new ConsentOptions(0, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("pending-guardian-days");
        assertThatThrownBy(() -> new ConsentOptions(null, 600, null, null, null, null, null, null, null, null))
                .hasMessageContaining("guardian-code-validity-seconds");
        assertThatThrownBy(() -> new ConsentOptions(null, null, null, null, null, null, "no code here", null, null, null))
                .hasMessageContaining("{code}");
        assertThatThrownBy(() -> new ConsentOptions(null, null, null, null, null, null, null, null, null, 1))
                .hasMessageContaining("ledger-retention-years");
    }
}
