package im.tongyou.api;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs a plugin's background work on the server's worker threads; everything still scheduled is
 * cancelled when the plugin stops. Tasks may block. Exceptions are logged, and a periodic task
 * keeps its schedule after one.
 */
public interface PluginExecutor {

    /** Runs a task soon. */
    Future<?> execute(Runnable task);

    /** Runs a task once after a delay. */
    Future<?> schedule(Runnable task, Duration delay);

    /** Runs a task repeatedly, the given period apart, starting after one period. */
    Future<?> every(Duration period, Runnable task);
}
