package im.tongyou.server.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import im.tongyou.api.privacy.Masking;

/**
 * The logback conversion word {@code %maskedMsg} of {@code conf/logback.xml}: the log message with
 * every phone-like digit run and ID number masked ({@code 139****5678}; privacy requirements R-SEC-5,
 * AC-10). A safety net behind the rule that code never logs such values.
 */
public final class MaskedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Masking.numbers(super.convert(event));
    }
}
