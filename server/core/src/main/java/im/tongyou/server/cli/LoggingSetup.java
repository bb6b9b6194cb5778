package im.tongyou.server.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up logging on a thread of its own while the main thread parses the command line: the
 * java.util.logging bridge (Liquibase and others log through it), then logback reading
 * {@code conf/logback.xml}, together about a third of a second of a start on 2 cores. Until it is
 * done SLF4J hands out substitute loggers, which delegate once it is; {@link #await()} before the
 * first thing that may log keeps events from ever being queued and replayed.
 */
final class LoggingSetup {

    private static final CountDownLatch DONE = new CountDownLatch(1);
    private static volatile boolean started;

    private LoggingSetup() {
    }

    /** Starts the set-up (once per process). */
    static synchronized void startInBackground() {
        if (started) {
            return;
        }
        started = true;
        Thread thread = new Thread(() -> {
            try {
                SLF4JBridgeHandler.removeHandlersForRootLogger();
                SLF4JBridgeHandler.install();
                LoggerFactory.getILoggerFactory();
            } finally {
                DONE.countDown();
            }
        }, "tongyou-logging-setup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until logging is set up; returns at once when {@link #startInBackground()} never ran. */
    static void await() {
        if (!started) {
            return;
        }
        try {
            DONE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
