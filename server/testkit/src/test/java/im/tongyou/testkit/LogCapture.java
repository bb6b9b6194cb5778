package im.tongyou.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures everything the server logs, at every level of its own loggers (TRACE) and what other
 * libraries log at their configured level, so that a test can assert what never appears in a log
 * line: phone numbers, SMS codes, passwords (design guide §6, R-SEC-5).
 */
final class LogCapture implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
            event.getMDCPropertyMap().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(thrown));
            }
            synchronized (lines) {
                lines.add(line.toString());
            }
        }
    };
    private final Logger tongyou;
    private final Logger root;
    private final Level previousLevel;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.start();
        tongyou = context.getLogger("im.tongyou");
        root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        previousLevel = tongyou.getLevel();
        tongyou.setLevel(Level.TRACE);
        root.addAppender(appender);
    }

    /** Starts capturing. */
    static LogCapture start() {
        return new LogCapture();
    }

    /** The lines captured so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        tongyou.setLevel(previousLevel);
        appender.stop();
    }
}
