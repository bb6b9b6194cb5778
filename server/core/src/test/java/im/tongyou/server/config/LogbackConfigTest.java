package im.tongyou.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter2;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The shipped conf/logback.xml parses without errors and writes its log file under TONGYOU_LOGS. */
class LogbackConfigTest {

    @TempDir
    Path logs;

    @Test
    void shippedLogbackConfigurationWorks() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("TONGYOU_LOGS", logs.toString());
        context.putProperty("tongyou.console.threshold", "OFF");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("../../conf/logback.xml").toFile());
        try {
            StatusUtil status = new StatusUtil(context);
            if (status.getHighestLevel(0) >= Status.WARN) {
                new StatusPrinter2().print(context);
            }
            assertThat(status.getHighestLevel(0)).isLessThan(Status.WARN);
            assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
            assertThat(context.getLogger("liquibase").getLevel()).isEqualTo(Level.WARN);

            context.getLogger("im.tongyou.test").info("hello from the test");

            assertThat(Files.readString(logs.resolve("tongyou.log")))
                    .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] im\\.tongyou\\.test - hello from the test");
        } finally {
            context.stop();
        }
        assertThat(LoggerFactory.getILoggerFactory()).isNotSameAs(context);
    }
}
