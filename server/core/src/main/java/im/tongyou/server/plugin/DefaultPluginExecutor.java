package im.tongyou.server.plugin;

import im.tongyou.api.PluginExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's {@link PluginExecutor}: the timer only hands tasks to the worker pool (tasks may
 * block), and everything still scheduled is cancelled when the plugin stops.
 */
final class DefaultPluginExecutor implements PluginExecutor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DefaultPluginExecutor.class);

    private final String pluginId;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final Set<Future<?>> futures = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    DefaultPluginExecutor(String pluginId, ScheduledExecutorService timer, ExecutorService workers) {
        this.pluginId = pluginId;
        this.timer = timer;
        this.workers = workers;
    }

    @Override
    public Future<?> execute(Runnable task) {
        return track(workers.submit(guarded(task)));
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        Runnable guarded = guarded(task);
        return track(timer.schedule(() -> { execute(guarded); }, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public Future<?> every(Duration period, Runnable task) {
        Runnable guarded = guarded(task);
        long millis = period.toMillis();
        return track(timer.scheduleWithFixedDelay(() -> { execute(guarded); }, millis, millis, TimeUnit.MILLISECONDS));
    }

    private Future<?> track(Future<?> future) {
        if (closed) {
            future.cancel(false);
            return future;
        }
        futures.add(future);
        futures.removeIf(Future::isDone);
        return future;
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            if (closed) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("plugin '{}': a background task failed", pluginId, e);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        futures.forEach(f -> f.cancel(false));
        futures.clear();
    }
}
