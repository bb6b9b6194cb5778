package im.tongyou.server.net.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what the server logs at WARN or above while one fuzz input runs. Bad input is the
 * client's fault and is logged at DEBUG at most; a warning means a defect (an exception that
 * reached {@code exceptionCaught}, a failed session task, a decoder failure).
 */
final class WarningWatch extends AppenderBase<ILoggingEvent> {

    private static final WarningWatch INSTANCE = new WarningWatch();

    private final List<String> warnings = new ArrayList<>();

    static synchronized WarningWatch install() {
        if (!INSTANCE.isStarted()) {
            Logger logger = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
            INSTANCE.setContext(logger.getLoggerContext());
            INSTANCE.start();
            logger.addAppender(INSTANCE);
        }
        INSTANCE.clear();
        return INSTANCE;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            String cause = event.getThrowableProxy() == null ? ""
                    : " (" + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage() + ")";
            warnings.add(event.getLoggerName() + ": " + event.getFormattedMessage() + cause);
        }
    }

    synchronized void clear() {
        warnings.clear();
    }

    /** Fails when anything was logged at WARN or above since {@link #install()}. */
    synchronized void assertQuiet() {
        if (!warnings.isEmpty()) {
            throw new AssertionError("the server logged a warning for client input: " + warnings);
        }
    }
}
