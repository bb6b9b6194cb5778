package im.tongyou.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The shipped {@code conf/logback.xml} masks phone numbers and ID numbers in what it writes
 * (privacy requirements R-SEC-5, AC-10), and keeps addresses and ordinary numbers readable.
 */
class MaskedLogTest {

    @TempDir
    Path logs;

    @Test
    void theShippedConfigurationMasksPhoneAndIdNumbersInTheLogFile() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("TONGYOU_LOGS", logs.toString());
        context.putProperty("tongyou.console.threshold", "OFF");
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(Path.of("../../conf/logback.xml").toFile());
        Logger log = context.getLogger("im.tongyou.test");
        log.info("code sent to {} and {} for romeo@tongyou.example, port 5222, id {}", "+8613912345678", "13987654321",
                "11010519491231002X");
        assertThat(context.getStatusManager().getCopyOfStatusList()).as("logback configured without warnings")
                .allSatisfy(s -> assertThat(s.getLevel()).as(s.toString()).isZero());
        context.stop();

        String written = Files.readString(logs.resolve("tongyou.log"));
        assertThat(written).contains("code sent to").doesNotContain("13912345678", "13987654321", "11010519491231002X");
        assertThat(written).contains("139****5678", "139****4321", "1****************X", "romeo@tongyou.example",
                "port 5222");
    }
}
